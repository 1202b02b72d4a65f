from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from analytics.tests.factories import bulk_snapshots
from billing.models import Subscription
from content.tests.factories import ContentPostFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def pro_user(db):
    user = UserFactory()
    Subscription.objects.filter(team=user.current_team).update(tier="PRO")
    return user


@pytest.fixture
def api(pro_user):
    client = APIClient()
    client.force_authenticate(pro_user)
    return client


@pytest.fixture
def stranger_api(db):
    user = UserFactory()
    Subscription.objects.filter(team=user.current_team).update(tier="PRO")
    client = APIClient()
    client.force_authenticate(user)
    return client


def make_history(user, *, posts: int = 3, days: int = 10, platform: str = "linkedin"):
    now = timezone.now()
    created = []
    rows = []
    for i in range(posts):
        post = ContentPostFactory(author=user, status="PUBLISHED", published_at=now - timedelta(days=days))
        created.append(post)
        for d in range(days):
            rows.append(
                {
                    "post": post,
                    "platform": platform,
                    "recorded_at": now - timedelta(days=days - d - 1, hours=1),
                    "impressions": 100 * (d + 1) + i,
                    "views": 50 * (d + 1),
                    "likes": 5 * (d + 1) + i,
                    "comments": d,
                    "shares": 1,
                    "clicks": 2 * d,
                    "reach": 80 * (d + 1),
                }
            )
    bulk_snapshots(rows)
    return created


@pytest.fixture
def history(pro_user):
    return make_history(pro_user)
