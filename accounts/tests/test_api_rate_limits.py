"""Rate limits per user by plan tier, and per IP on login and sign-up: 429 with the headers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.tests.api_support import assert_error, login
from accounts.tests.factories import UserFactory
from billing.models import Subscription

pytestmark = pytest.mark.django_db

RATES = {"ANON": "2/minute", "FREE": "3/minute", "PRO": "5/minute", "ENTERPRISE": "8/minute"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@override_settings(API_RATE_LIMITS=RATES)
def test_every_response_carries_the_rate_limit_headers_and_the_429_says_when_to_retry():
    api = _client_for(UserFactory())

    responses = [api.get("/api/me/") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert all(r["X-RateLimit-Limit"] == "3" for r in responses)
    assert all(int(r["X-RateLimit-Reset"]) > 0 for r in responses)
    error = assert_error(responses[-1], 429, "RATE_LIMIT_EXCEEDED")
    assert error["retryable"] is True
    assert 0 < error["retryAfter"] <= 60
    assert responses[-1]["Retry-After"] == str(error["retryAfter"])
    assert error["message"] == "Rate limit exceeded for your subscription tier."


@override_settings(API_RATE_LIMITS=RATES)
@pytest.mark.parametrize(("tier", "limit"), [("FREE", 3), ("PRO", 5), ("ENTERPRISE", 8)])
def test_the_limit_follows_the_plan_tier(tier, limit):
    user = UserFactory()
    Subscription.objects.filter(team=user.current_team).update(tier=tier)
    api = _client_for(user)

    codes = [api.get("/api/me/").status_code for _ in range(limit + 1)]

    assert codes == [200] * limit + [429]


@override_settings(API_RATE_LIMITS=RATES)
def test_users_are_counted_separately():
    first, second = _client_for(UserFactory()), _client_for(UserFactory())
    for _ in range(3):
        first.get("/api/me/")

    assert first.get("/api/me/").status_code == 429
    assert second.get("/api/me/").status_code == 200


@override_settings(API_RATE_LIMIT_AUTH="3/minute")
def test_login_and_register_are_throttled_per_ip_whatever_the_account():
    api = APIClient()
    codes = [login(api, f"someone{n}@example.com", "wrong").status_code for n in range(3)]
    blocked = api.post("/api/auth/register", {"email": "x@example.com"}, format="json")
    elsewhere = login(APIClient(REMOTE_ADDR="10.0.0.9"), "someone@example.com", "wrong")

    assert codes == [401, 401, 401]
    assert_error(blocked, 429, "RATE_LIMIT_EXCEEDED")
    assert blocked["X-RateLimit-Limit"] == "3" and blocked["X-RateLimit-Remaining"] == "0"
    assert elsewhere.status_code == 401


@override_settings(API_RATE_LIMIT_AUTH="3/minute")
def test_a_forged_forwarded_for_header_does_not_reset_the_ip_limit():
    api = APIClient()
    body = {"email": "a@example.com", "password": "wrong"}
    codes = [
        api.post("/api/auth/login", body, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(4)
    ]

    assert codes == [401, 401, 401, 429]


@override_settings(API_RATE_LIMIT_REFRESH="2/minute", API_RATE_LIMIT_AUTH="100/minute")
def test_refresh_has_its_own_per_ip_bucket():
    api = APIClient()
    codes = [api.post("/api/auth/refresh", {"refreshToken": "x"}, format="json").status_code for _ in range(3)]

    assert codes == [401, 401, 429]
    assert login(api, "a@example.com", "wrong").status_code == 401
