"""Redis down: people still sign in, schedule and publish, and are told the truth.

The cache is pointed at a port nothing listens on, configured as production configures it. Before
the fallback, allauth's sign-in rate limit (a lock taken with cache.add) answered 429 to everyone and
publish-now answered 500 (posting budgets compared None with a number) while the post went out later.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus
from social.services.budgets import budget_reserve
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _dead_redis(port: int, backend: str) -> dict:
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "cg",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


@pytest.fixture
def dead_cache(settings, closed_port):
    settings.CACHES = _dead_redis(closed_port, "core.cache.FallbackRedisCache")


def test_sign_in_schedule_and_publish_now_work_while_redis_is_down(client, dead_cache):
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()
    account = SocialAccountFactory(team=user.current_team, platform="sandbox", account_name="Cafe")
    post = ContentPostFactory(author=user, team=user.current_team, content="Open during the outage", hashtags=[])

    # sign in through the dashboard's form (allauth's rate limit runs on the cache)
    signed_in = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.content[:500]
    assert client.get("/dashboard/").status_code == 200

    # schedule through the API on the session
    api = APIClient()
    api.force_login(user)
    at = (timezone.now() + timedelta(hours=3)).replace(microsecond=0).isoformat()
    scheduled = api.post(
        "/api/content/schedule", {"postId": str(post.pk), "scheduledAt": at, "platforms": ["sandbox"]}, format="json"
    )
    assert scheduled.status_code == 201, scheduled.content

    # publish now from the publishing page, then through the API for a second post
    page = client.post(f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)]})
    assert page.status_code == 302
    result = PublishResult.objects.get(post=post, social_account=account)
    assert result.status == PublishStatus.SUCCESS, result.error_message

    second = ContentPostFactory(author=user, team=user.current_team, content="And another one", hashtags=[])
    published = api.post("/api/social/publish", {"postId": str(second.pk), "platforms": ["sandbox"]}, format="json")
    assert published.status_code == 200, published.content
    assert [r["status"] for r in published.json()["results"]] == ["SUCCESS"]

    # and the outage is reported where operators look
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["failed"] == ["cache"]


def test_many_failed_sign_ins_are_still_limited_during_the_outage(client, dead_cache):
    user = UserFactory()
    pages = [
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"}).content.decode()
        for _ in range(7)
    ]
    # allauth's login_failed limit (5 per address) keeps counting in the local fallback: fail safe, not open
    assert not any("Too many failed login attempts" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[-1]


def test_the_fallback_answers_counters_locally_but_never_shares_sessions_or_revocations(dead_cache):
    assert cache.add("lock:a", 1, timeout=5) is True
    assert cache.add("lock:a", 1, timeout=5) is False
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    # Values every process must agree on miss, so the database behind them answers.
    cache.set("django.contrib.sessions.cached_dbabc", {"_auth_user_id": "x"})
    assert cache.get("django.contrib.sessions.cached_dbabc") is None
    cache.set("jwt:revoked-family:f1", 0)
    assert cache.get("jwt:revoked-family:f1") is None


def test_posting_budgets_do_not_crash_when_the_cache_cannot_count(settings, closed_port):
    """Even on plain django-redis (errors become None), a budget that cannot be counted lets the post go."""
    settings.CACHES = _dead_redis(closed_port, "django_redis.cache.RedisCache")
    account = SocialAccountFactory(platform="sandbox")
    assert budget_reserve(account) is None


@pytest.mark.redis
def test_with_redis_up_the_fallback_backend_uses_redis(settings, redis_url):
    import redis

    settings.CACHES = _dead_redis(0, "core.cache.FallbackRedisCache")
    settings.CACHES["default"]["LOCATION"] = redis_url
    cache.set("shared-counter", 41)
    assert cache.incr("shared-counter") == 42

    # Another process sees it: the value is in Redis, not in this process's fallback.
    assert redis.Redis.from_url(redis_url).get("cg:1:shared-counter") is not None
    assert cache._local.get("shared-counter") is None  # type: ignore[attr-defined]
