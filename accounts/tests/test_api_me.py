"""/api/me/: the caller's profile and the spec's UserPreferences."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import UserPreferences
from accounts.tests.api_support import assert_error
from accounts.tests.factories import UserFactory
from billing.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    return UserFactory(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_get_returns_the_profile_with_plan_and_preferences(api, user):
    Subscription.objects.filter(team=user.current_team).update(tier="PRO")

    response = api.get("/api/me/")

    assert response.status_code == 200
    body = response.json()["user"]
    assert body["id"] == str(user.pk) and body["firstName"] == "Ada"
    assert body["preferences"] == {
        "defaultPlatform": "linkedin",
        "defaultTone": "professional",
        "defaultAudience": "",
        "notificationSettings": {},
        "brandSettings": {},
        "language": "en",
        "timezone": "UTC",
    }
    assert set(body["usageQuota"]) == {
        "contentGenerations",
        "maxContentGenerations",
        "apiCalls",
        "maxApiCalls",
        "resetDate",
    }
    assert "password" not in response.content.decode().lower()


def test_patch_updates_names_and_preferences(api, user):
    response = api.patch(
        "/api/me/",
        {
            "firstName": "Grace",
            "preferences": {
                "defaultPlatform": "mastodon",
                "defaultTone": "casual",
                "timezone": "America/New_York",
                "language": "es",
                "notificationSettings": {"emailWeeklyDigest": True},
            },
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()["user"]
    assert body["firstName"] == "Grace" and body["lastName"] == "Lovelace"
    assert body["preferences"]["timezone"] == "America/New_York"
    assert body["preferences"]["notificationSettings"] == {"emailWeeklyDigest": True}
    prefs = UserPreferences.objects.get(user=user)
    assert (prefs.default_platform, prefs.default_tone, prefs.language) == ("mastodon", "casual", "es")


@pytest.mark.parametrize(
    ("preferences", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"defaultPlatform": "myspace"}, "defaultPlatform"),
        ({"language": "xx"}, "language"),
        ({"notificationSettings": {"smokeSignals": True}}, "notificationSettings"),
    ],
)
def test_bad_preferences_are_a_400_and_change_nothing(api, user, preferences, field):
    response = api.patch("/api/me/", {"firstName": "Changed", "preferences": preferences}, format="json")

    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert field in error["details"]["preferences"]
    user.refresh_from_db()
    assert user.first_name == "Ada"
    assert not UserPreferences.objects.filter(user=user).exclude(timezone="UTC").exists()


def test_a_user_id_in_the_body_is_ignored(api, user):
    other = UserFactory(first_name="Other")

    api.patch("/api/me/", {"id": str(other.pk), "userId": str(other.pk), "firstName": "Me"}, format="json")

    other.refresh_from_db()
    user.refresh_from_db()
    assert other.first_name == "Other" and user.first_name == "Me"
