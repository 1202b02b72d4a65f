from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # posting budgets and Mastodon app registrations live in the cache
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def team(user):
    return user.current_team


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def post(user):
    return ContentPostFactory(author=user, content="Hello from the sandbox", hashtags=[])


@pytest.fixture
def connect_sandbox(api):
    def _connect(code: str = "brand-one") -> dict:
        response = api.post("/api/social/connect", {"platform": "sandbox", "authCode": code}, format="json")
        assert response.status_code == 201, response.content
        return response.json()["account"]

    return _connect
