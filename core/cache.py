"""The Redis cache with a process-local fallback, so a Redis outage degrades instead of failing closed.

django-redis's IGNORE_EXCEPTIONS turns every error into a miss: `cache.add` then answers None, and
code built on it fails for everyone (allauth's sign-in rate limit takes a lock with `add`, so every
sign-in got a 429; posting budgets compared None with a number and publish-now answered 500).

While Redis is unreachable this backend answers from a per-process LocMemCache instead: rate limits
and counters keep working, per process (fail safe, not closed). Keys whose value must be the same in
every process (sessions, token revocation) are never answered locally: they miss, and the database
behind them answers. Redis is retried after a short pause; nothing is copied back when it returns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# Values shared by every process: a local copy would let one process miss another's logout.
SHARED_ONLY_PREFIXES = ("django.contrib.sessions", "jwt:")
_OUTAGE_ERRORS = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
_MISS = object()


class FallbackRedisCache(RedisCache):  # type: ignore[type-arg]
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._ignore_exceptions = False  # errors must reach us to switch over, not become silent misses
        self._local = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _mark_down(self, exc: BaseException) -> None:
        with self._lock:
            first = not self.redis_is_down
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("cache unreachable, answering from the local fallback: %s", type(exc).__name__)

    def _call(
        self, name: str, key: Any, *args: Any, miss: Any = None, redis_only: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        remote: Callable[..., Any] = getattr(super(), name)
        if not self.redis_is_down:
            try:
                return remote(key, *args, **kwargs, **(redis_only or {}))
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        if isinstance(key, str) and key.startswith(SHARED_ONLY_PREFIXES):
            return miss
        return getattr(self._local, name)(key, *args, **kwargs)

    def get(self, key: Any, default: Any = None, version: int | None = None, client: Any = None) -> Any:
        return self._call("get", key, default, version=version, miss=default)

    def set(self, key: Any, value: Any, timeout: Any = _MISS, version: int | None = None, **kwargs: Any) -> Any:
        extra = {} if timeout is _MISS else {"timeout": timeout}
        # nx/xx (django-redis's own flags) only mean something to Redis.
        return self._call("set", key, value, version=version, miss=False, redis_only=kwargs, **extra)

    def add(self, key: Any, value: Any, timeout: Any = _MISS, version: int | None = None, **kwargs: Any) -> Any:
        extra = {} if timeout is _MISS else {"timeout": timeout}
        return self._call("add", key, value, version=version, miss=False, **extra)

    def delete(self, key: Any, version: int | None = None, **kwargs: Any) -> Any:
        return self._call("delete", key, version=version, miss=False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None, **kwargs: Any) -> Any:
        return self._call("incr", key, delta, version=version)

    def decr(self, key: Any, delta: int = 1, version: int | None = None, **kwargs: Any) -> Any:
        return self._call("decr", key, delta, version=version)

    def has_key(self, key: Any, version: int | None = None, **kwargs: Any) -> Any:
        return self._call("has_key", key, version=version, miss=False)

    def touch(self, key: Any, timeout: Any = _MISS, version: int | None = None, **kwargs: Any) -> Any:
        extra = {} if timeout is _MISS else {"timeout": timeout}
        return self._call("touch", key, version=version, miss=False, **extra)

    def get_many(self, keys: Any, version: int | None = None, **kwargs: Any) -> Any:
        if not self.redis_is_down:
            try:
                return super().get_many(keys, version=version)
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        return self._local.get_many([k for k in keys if not str(k).startswith(SHARED_ONLY_PREFIXES)], version)

    def set_many(self, data: Any, timeout: Any = _MISS, version: int | None = None, **kwargs: Any) -> Any:
        extra = {} if timeout is _MISS else {"timeout": timeout}
        if not self.redis_is_down:
            try:
                if timeout is None and data:
                    # Values kept until replaced: one MSET. django-redis sends one SET per key through a
                    # pipeline, whose Python side cost ~0.1 ms a key (the moderation memo replaces dozens
                    # of version tokens for every published text).
                    client = self.client
                    client.get_client(write=True).mset(
                        {client.make_key(k, version=version): client.encode(v) for k, v in data.items()}
                    )
                    return []
                return super().set_many(data, version=version, **extra)
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        local = {k: v for k, v in data.items() if not str(k).startswith(SHARED_ONLY_PREFIXES)}
        return self._local.set_many(local, version=version, **extra)

    def count_up(self, key: str, timeout: int, amount: int = 1) -> int:
        """`count_up` below, in one round trip: SET NX with the lifetime and INCRBY, in one MULTI."""
        if not self.redis_is_down:
            try:
                client = self.client
                name = client.make_key(key)
                pipe = client.get_client(write=True).pipeline(transaction=True)
                pipe.set(name, 0, ex=max(1, int(timeout)), nx=True)
                pipe.incr(name, amount)
                return int(pipe.execute()[1])
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        return int(_count_up(self._local, key, timeout, amount) or 0)

    def delete_many(self, keys: Any, version: int | None = None, **kwargs: Any) -> Any:
        if not self.redis_is_down:
            try:
                return super().delete_many(keys, version=version)
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        return self._local.delete_many(keys, version)

    def clear(self, **kwargs: Any) -> Any:
        self._local.clear()
        if not self.redis_is_down:
            try:
                return super().clear()
            except _OUTAGE_ERRORS as exc:
                self._mark_down(exc)
        return None


def cache_get(key: str, read_ahead: Mapping[str, Any] | None = None) -> Any:
    """`key`'s cached value, taken from `read_ahead` (values the caller read in one round trip with
    others, a `get_many`'s answer) when it holds the key, else read now."""
    from django.core.cache import cache

    if read_ahead is not None and key in read_ahead:
        return read_ahead[key]
    return cache.get(key)


def count_up(key: str, timeout: int, amount: int = 1) -> int | None:
    """`amount` more on a counter that starts at 0 and lives `timeout` seconds; returns the new count.

    On the Redis backend it is one round trip (a posting budget is counted for every post of a burst).
    None when the cache cannot count (plain django-redis during an outage answers None).
    """
    from django.core.cache import caches

    backend = caches["default"]
    if isinstance(backend, FallbackRedisCache):
        return backend.count_up(key, timeout, amount)
    return _count_up(backend, key, timeout, amount)


def _count_up(backend: Any, key: str, timeout: int, amount: int = 1) -> int | None:
    backend.add(key, 0, timeout=timeout)
    try:
        return backend.incr(key, amount)  # type: ignore[no-any-return]
    except ValueError:  # evicted between add and incr
        backend.set(key, amount, timeout=timeout)
        return amount
