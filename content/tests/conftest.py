"""AI settings every content test starts from: no real keys, tiny retry waits, an empty cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def ai_settings(settings):
    settings.AI_PROVIDER_PRIORITY = ["openai", "anthropic", "offline"]
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""
    settings.ANTHROPIC_API_KEY = ""
    settings.ANTHROPIC_BASE_URL = ""
    settings.AI_COMPAT_BASE_URL = ""
    settings.AI_COMPAT_API_KEY = ""
    settings.AI_RETRY_ATTEMPTS = 3
    settings.AI_RETRY_BASE_DELAY = 0.001
    settings.AI_RETRY_MAX_DELAY = 0.01
    settings.AI_REQUEST_TIMEOUT = 2.0
    settings.AI_CIRCUIT_FAILURE_THRESHOLD = 5
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def outsider_api(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


@pytest.fixture
def fake_ai():
    """A local server the real SDKs call; script its answers with `fake_ai.queue(...)`."""
    from content.tests.fake_server import FakeAIServer

    with FakeAIServer() as server:
        yield server


@pytest.fixture
def openai_configured(ai_settings, fake_ai):
    ai_settings.OPENAI_API_KEY = "sk-test-openai"
    ai_settings.OPENAI_BASE_URL = f"{fake_ai.url}/v1"
    return fake_ai


@pytest.fixture
def anthropic_configured(ai_settings, fake_ai):
    ai_settings.ANTHROPIC_API_KEY = "sk-test-anthropic"
    ai_settings.ANTHROPIC_BASE_URL = fake_ai.url
    return fake_ai
