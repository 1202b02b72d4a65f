"""API sessions survive nothing they should not: revocation outlives a cache flush, a backup holds no token."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import RevokedTokenFamily
from accounts.tests.api_support import assert_error, bearer
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _all_outstanding_token_text() -> str:
    """Every column of every outstanding-token row, read raw from the database (what a dump would hold)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM token_blacklist_outstandingtoken")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_logged_out_access_token_stays_refused_after_the_cache_is_flushed():
    user = UserFactory()
    client = APIClient()
    bearer(client, user)
    assert client.get("/api/me/").status_code == 200
    assert client.post("/api/auth/logout", {}, format="json").status_code == 200

    cache.clear()  # a Redis restart or flush

    assert_error(client.get("/api/me/"), 401, "INVALID_AUTHENTICATION")
    assert RevokedTokenFamily.objects.filter(user=user).count() == 1


def test_a_replayed_family_stays_revoked_after_the_cache_is_flushed():
    user = UserFactory()
    first = bearer(APIClient(), user)["refreshToken"]
    rotated = APIClient().post("/api/auth/refresh", {"refreshToken": first}, format="json").json()["tokens"]
    APIClient().post("/api/auth/refresh", {"refreshToken": first}, format="json")  # replay: the family ends

    cache.clear()

    victim = APIClient()
    victim.credentials(HTTP_AUTHORIZATION=f"Bearer {rotated['accessToken']}")
    assert_error(victim.get("/api/me/"), 401, "INVALID_AUTHENTICATION")
    refresh = APIClient().post("/api/auth/refresh", {"refreshToken": rotated["refreshToken"]}, format="json")
    assert_error(refresh, 401, "INVALID_AUTHENTICATION")


def test_a_live_login_is_not_slowed_into_failing_by_a_cold_cache():
    user = UserFactory()
    client = APIClient()
    bearer(client, user)
    cache.clear()
    assert client.get("/api/me/").status_code == 200
    assert client.get("/api/me/").status_code == 200


def test_the_database_never_holds_a_refresh_token():
    user = UserFactory()
    tokens = bearer(APIClient(), user)
    rotated = APIClient().post("/api/auth/refresh", {"refreshToken": tokens["refreshToken"]}, format="json")
    assert rotated.status_code == 200

    stored = _all_outstanding_token_text()

    for raw in (tokens["refreshToken"], rotated.json()["tokens"]["refreshToken"]):
        assert raw not in stored
        assert raw.split(".")[2] not in stored  # not even the signature
    assert stored.count("sha256:") == 2
