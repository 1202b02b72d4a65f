"""The production cache backend against a real Redis: what one process writes, another reads."""

from __future__ import annotations

import pytest
import redis

from core.cache import FallbackRedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def shared(redis_url):
    backend = FallbackRedisCache(redis_url, {"KEY_PREFIX": "cache-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_values_kept_until_replaced_are_written_in_one_go_and_read_back_by_another_client(shared, redis_url):
    shared.set("token:a", 7, timeout=60)  # had an expiry: replacing it keeps the new value for good

    shared.set_many({"token:a": 11, "token:b": 2**62 - 1, "entry": {"tokens": [1, 2]}}, timeout=None)

    other = FallbackRedisCache(redis_url, {"KEY_PREFIX": "cache-test"})
    assert other.get_many(["token:a", "token:b", "entry"]) == {
        "token:a": 11,
        "token:b": 2**62 - 1,
        "entry": {"tokens": [1, 2]},
    }
    raw = redis.Redis.from_url(redis_url)
    assert raw.ttl(shared.make_key("token:a")) == -1  # no expiry left behind
    assert raw.get(shared.make_key("token:b")) == str(2**62 - 1).encode()  # an int is stored as its digits


def test_values_with_an_expiry_still_expire(shared, redis_url):
    shared.set_many({"short": 1}, timeout=30)

    assert 0 < redis.Redis.from_url(redis_url).ttl(shared.make_key("short")) <= 30


def test_a_counter_starts_with_its_lifetime_and_counts_across_clients(shared, redis_url):
    other = FallbackRedisCache(redis_url, {"KEY_PREFIX": "cache-test"})

    assert [shared.count_up("budget", 90), other.count_up("budget", 90), shared.count_up("budget", 90)] == [1, 2, 3]

    raw = redis.Redis.from_url(redis_url)
    assert 0 < raw.ttl(shared.make_key("budget")) <= 90  # the first count set the lifetime; later ones kept it
    assert shared.get("budget") == 3 and shared.decr("budget") == 2  # the budget's give-back reads it as a number
