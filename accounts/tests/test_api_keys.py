"""Personal API keys: shown once, stored hashed, scoped, plan-gated, revocable, private to their owner."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_keys import api_key_create, api_key_resolve, api_key_revoke
from accounts.models import ApiKey, SecurityEvent
from accounts.tests.api_support import assert_error, bearer
from accounts.tests.factories import UserFactory
from billing import plans
from core.api.errors import NotFoundError, PlanFeatureRequired

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _key_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_create_shows_the_key_once_and_stores_only_its_digest():
    user = UserFactory()
    api = APIClient()
    bearer(api, user)

    created = api.post("/api/api-keys/", {"name": "Zapier", "scopes": ["read"]}, format="json")
    listed = api.get("/api/api-keys/")

    assert created.status_code == 201, created.content
    body = created.json()["apiKey"]
    raw = body["key"]
    assert raw.startswith(body["prefix"] + "_") and body["prefix"].startswith("cg_live_")
    assert body["scopes"] == ["read"] and body["status"] == "ACTIVE"
    row = ApiKey.objects.get(pk=body["id"])
    assert row.secret_hash == hashlib.sha256(raw.split("_", 3)[3].encode()).hexdigest()
    assert raw not in str(ApiKey.objects.values().get(pk=row.pk))
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert "key" not in listed.json()["results"][0]
    assert raw not in listed.content.decode()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.API_KEY_CREATED).count() == 1


def test_a_key_authenticates_as_its_owner_and_records_last_use():
    user = UserFactory()
    key, raw = api_key_create(user=user, name="CI", scopes=["read"])

    response = _key_client(raw).get("/api/me/")

    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(user.pk)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute():
    user = UserFactory()
    key, raw = api_key_create(user=user, name="CI", scopes=["read"])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        api_key_resolve(raw=raw)
        first = ApiKey.objects.get(pk=key.pk).last_used_at
        traveller.shift(timedelta(seconds=30))
        api_key_resolve(raw=raw)
        assert ApiKey.objects.get(pk=key.pk).last_used_at == first
        traveller.shift(timedelta(seconds=31))
        api_key_resolve(raw=raw)
        assert ApiKey.objects.get(pk=key.pk).last_used_at > first


def test_read_key_may_only_read_and_write_key_may_write():
    user = UserFactory()
    _read, read_raw = api_key_create(user=user, name="read", scopes=["read"])
    _write, write_raw = api_key_create(user=user, name="write", scopes=["write"])

    denied = _key_client(read_raw).patch("/api/me/", {"firstName": "Eve"}, format="json")
    allowed = _key_client(write_raw).patch("/api/me/", {"firstName": "Wes"}, format="json")

    assert_error(denied, 403, "PERMISSION_DENIED")
    assert allowed.status_code == 200
    user.refresh_from_db()
    assert user.first_name == "Wes"
    assert _key_client(write_raw).get("/api/me/").status_code == 200


def test_keys_cannot_manage_keys():
    user = UserFactory()
    _key, raw = api_key_create(user=user, name="write", scopes=["read", "write"])

    assert_error(_key_client(raw).post("/api/api-keys/", {"name": "more"}, format="json"), 403, "PERMISSION_DENIED")
    assert ApiKey.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("mangle", ["revoke", "expire", "wrong_secret", "unknown_prefix", "garbage", "inactive"])
def test_unusable_keys_are_401(mangle):
    user = UserFactory()
    key, raw = api_key_create(user=user, name="CI", scopes=["read"])
    if mangle == "revoke":
        api_key_revoke(user=user, key_id=str(key.pk))
    elif mangle == "expire":
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif mangle == "wrong_secret":
        raw = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    elif mangle == "unknown_prefix":
        raw = "cg_live_00000000_" + raw.split("_", 3)[3]
    elif mangle == "garbage":
        raw = "not-a-key"
    elif mangle == "inactive":
        user.is_active = False
        user.save()

    assert_error(_key_client(raw).get("/api/me/"), 401, "INVALID_AUTHENTICATION")


def test_keys_need_the_api_access_plan_feature(monkeypatch):
    user = UserFactory()
    _key, raw = api_key_create(user=user, name="CI", scopes=["read"])
    without_api = dataclasses.replace(plans.PLANS["FREE"], api_access=False)
    monkeypatch.setitem(plans.PLANS, "FREE", without_api)
    api = APIClient()
    bearer(api, user)

    assert_error(_key_client(raw).get("/api/me/"), 402, "PLAN_FEATURE_REQUIRED")
    assert_error(api.post("/api/api-keys/", {"name": "x"}, format="json"), 402, "PLAN_FEATURE_REQUIRED")
    with pytest.raises(PlanFeatureRequired):
        api_key_create(user=user, name="y", scopes=["read"])


def test_create_with_bad_input_is_a_400_and_creates_nothing():
    user = UserFactory()
    api = APIClient()
    bearer(api, user)

    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "x", "scopes": ["admin"]}, "scopes"),
        ({"name": "x", "scopes": []}, "scopes"),
    ]:
        error = assert_error(api.post("/api/api-keys/", body, format="json"), 400, "VALIDATION_ERROR")
        assert field in error["details"], error
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert_error(api.post("/api/api-keys/", {"name": "x", "expiresAt": past}, format="json"), 400, "VALIDATION_ERROR")
    assert not ApiKey.objects.exists()


def test_revoke_makes_the_key_stop_working_at_once():
    user = UserFactory()
    key, raw = api_key_create(user=user, name="CI", scopes=["read"])
    api = APIClient()
    bearer(api, user)

    response = api.delete(f"/api/api-keys/{key.pk}/")

    assert response.status_code == 200, response.content
    assert response.json()["apiKey"]["status"] == "REVOKED"
    assert_error(_key_client(raw).get("/api/me/"), 401, "INVALID_AUTHENTICATION")
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.API_KEY_REVOKED).count() == 1


def test_a_user_can_never_see_or_revoke_another_users_keys():
    owner, intruder = UserFactory(), UserFactory()
    key, raw = api_key_create(user=owner, name="owner's", scopes=["read"])
    api = APIClient()
    bearer(api, intruder)

    listed = api.get("/api/api-keys/")
    revoke = api.delete(f"/api/api-keys/{key.pk}/")

    assert listed.json()["count"] == 0
    assert_error(revoke, 404, "NOT_FOUND")
    key.refresh_from_db()
    assert key.revoked_at is None
    with pytest.raises(NotFoundError):
        api_key_revoke(user=intruder, key_id=str(key.pk))
    assert _key_client(raw).get("/api/me/").status_code == 200


def test_list_query_count_stays_flat(django_assert_max_num_queries):
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    api_key_create(user=user, name="k0", scopes=["read"])
    with django_assert_max_num_queries(10) as few:
        api.get("/api/api-keys/")
    for n in range(1, 8):
        api_key_create(user=user, name=f"k{n}", scopes=["read"])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/api-keys/")

    assert response.json()["count"] == 8
