"""Per-account figures (`GET /api/social/analytics`) and recorded snapshots use the one engagement formula."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from analytics.models import ContentAnalytics
from analytics.snapshots import metrics_snapshot_record
from content.tests.factories import ContentPostFactory
from social.models import PublishResult, PublishStatus, idempotency_key_for
from social.platforms.base import PostMetrics
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def _published(user, account):
    post = ContentPostFactory(author=user)
    return PublishResult.objects.create(
        post=post,
        social_account=account,
        platform=account.platform,
        status=PublishStatus.SUCCESS,
        published_at=timezone.now() - timedelta(days=1),
        idempotency_key=idempotency_key_for(post.pk, account.pk),
    )


def test_an_accounts_rate_is_interactions_over_the_larger_audience():
    # given: a post seen by 200 (views) though the platform counted only 50 impressions
    user = UserFactory()
    account = SocialAccountFactory(team=user.current_team, platform="linkedin")
    result = _published(user, account)
    snapshot = metrics_snapshot_record(
        result=result, metrics=PostMetrics(views=200, impressions=50, likes=6, comments=2, shares=1, clicks=1)
    )
    api = APIClient()
    api.force_authenticate(user)

    # when
    body = api.get("/api/social/analytics", {"accountId": str(account.pk), "timeRange": "7d"}).json()

    # then: 10 interactions over 200, as analytics.metrics.engagement_rate says (not 10 / 50)
    assert body["data"]["totals"]["engagementRate"] == 0.05
    assert ContentAnalytics.objects.get(pk=snapshot.pk).engagement_rate == 0.05


def test_another_teams_account_has_no_figures():
    owner, stranger = UserFactory(), UserFactory()
    account = SocialAccountFactory(team=stranger.current_team)
    api = APIClient()
    api.force_authenticate(owner)

    response = api.get("/api/social/analytics", {"accountId": str(account.pk), "timeRange": "7d"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
