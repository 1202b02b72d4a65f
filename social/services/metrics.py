"""Engagement snapshots of published posts into analytics.ContentAnalytics.

engagement_rate = (likes + comments + shares + clicks) / max(impressions, or views when the platform
reports no impressions, 1). Instagram and Facebook replaced impressions with views in 2025, and
Mastodon reports neither, so the denominator falls back in that order.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from social.models import AccountHealth, PublishResult, PublishStatus
from social.platforms.base import ConnectorError, PostMetrics
from social.services.accounts import account_record_error
from social.services.credentials import account_credentials, connector_for_account

logger = logging.getLogger(__name__)


def engagement_rate(metrics: PostMetrics) -> float:
    interactions = metrics.likes + metrics.comments + metrics.shares + metrics.clicks
    return round(interactions / max(metrics.impressions or metrics.views, 1), 6)


def metrics_snapshot_record(*, result: PublishResult, metrics: PostMetrics, at: datetime | None = None) -> Any:
    content_analytics = apps.get_model("analytics", "ContentAnalytics")
    return content_analytics.objects.create(
        post_id=result.post_id,
        platform=result.platform,
        views=max(metrics.views, 0),
        likes=max(metrics.likes, 0),
        shares=max(metrics.shares, 0),
        comments=max(metrics.comments, 0),
        clicks=max(metrics.clicks, 0),
        reach=max(metrics.reach, 0),
        impressions=max(metrics.impressions, 0),
        engagement_rate=engagement_rate(metrics),
        recorded_at=at or timezone.now(),
    )


def results_due_for_metrics(*, now: datetime | None = None, limit: int = 500) -> list[str]:
    """Published in the tracking window, not fetched within the interval, on a usable account."""
    now = now or timezone.now()
    window = now - timedelta(days=settings.SOCIAL_METRICS_WINDOW_DAYS)
    stale = now - timedelta(seconds=settings.SOCIAL_METRICS_INTERVAL_SECONDS)
    due = (
        PublishResult.objects.filter(status=PublishStatus.SUCCESS, published_at__gte=window)
        .exclude(platform_post_id__isnull=True)
        .exclude(platform_post_id="")
        .filter(social_account__is_active=True)
        .exclude(social_account__health=AccountHealth.NEEDS_RECONNECT)
        .filter(Q(metrics_fetched_at__isnull=True) | Q(metrics_fetched_at__lt=stale))
        .order_by("metrics_fetched_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [str(pk) for pk in due]


def metrics_fetch_for_result(*, result_id: Any, http: httpx.Client | None = None) -> Any | None:
    """One snapshot for one published post; a failed fetch records the account's error and moves on."""
    result = PublishResult.objects.select_related("social_account__team").get(pk=result_id)
    account = result.social_account
    connector = connector_for_account(account, http=http)
    now = timezone.now()
    try:
        metrics = connector.fetch_metrics(account_credentials(account), result.platform_post_id or "")
    except ConnectorError as exc:
        logger.warning("metrics fetch failed", extra={"publish_result": str(result.pk), "kind": str(exc.kind)})
        account_record_error(account=account, error=exc)
        PublishResult.objects.filter(pk=result.pk).update(metrics_fetched_at=now)
        return None
    except httpx.HTTPError:
        logger.warning("metrics fetch failed: network", extra={"publish_result": str(result.pk)})
        return None
    snapshot = metrics_snapshot_record(result=result, metrics=metrics, at=now)
    PublishResult.objects.filter(pk=result.pk).update(metrics_fetched_at=now)
    return snapshot
