from __future__ import annotations

import pytest
from django.core.cache import cache
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import User
from accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # alert cooldowns live in the cache
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("ops@example.com", "pw-ops-123456")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def member(db):
    return UserFactory()


class Scrape:
    """Samples from one /metrics response: `scrape.value("name", label=value)`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.samples = [s for family in text_string_to_metric_families(text) for s in family.samples]

    def value(self, metric: str, **labels: str) -> float:
        return sum(
            s.value for s in self.samples if s.name == metric and all(s.labels.get(k) == v for k, v in labels.items())
        )

    def names(self) -> set[str]:
        return {s.name for s in self.samples}


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = "scrape-token-for-tests"  # noqa: S105

    def _scrape() -> Scrape:
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests")
        assert response.status_code == 200, response.content[:200]
        return Scrape(response.content.decode())

    return _scrape
