"""Engagement snapshots of published posts into analytics.ContentAnalytics.

engagement_rate = (likes + comments + shares + clicks) / max(impressions, or views when the platform
reports no impressions, 1). Instagram and Facebook replaced impressions with views in 2025, and
Mastodon reports neither, so the denominator falls back in that order.

Figures the sandbox made up are stored with `simulated=True` so every place that shows them can say
so. A sandbox account can stand in for another network (the demo's does: the publish result's
metadata `target_platform`); its simulated figures are then filed under that network.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.events import METRICS_UPDATED, event_emit
from social.models import AccountHealth, PublishResult, PublishStatus
from social.platforms.base import ConnectorError, PostMetrics
from social.services.accounts import account_record_error
from social.services.credentials import account_credentials, connector_for_account

logger = logging.getLogger(__name__)


def engagement_rate(metrics: PostMetrics) -> float:
    interactions = metrics.likes + metrics.comments + metrics.shares + metrics.clicks
    return round(interactions / max(metrics.impressions or metrics.views, 1), 6)


def metrics_platform(result: PublishResult) -> str:
    """The network a result's figures are filed under (a sandbox standing in for one files under it)."""
    meta = result.metadata if isinstance(result.metadata, dict) else {}
    target = str(meta.get("target_platform") or "") if result.platform == "sandbox" else ""
    return target or result.platform


def _snapshot(*, result: PublishResult, metrics: PostMetrics, at: datetime | None = None) -> Any:
    content_analytics = apps.get_model("analytics", "ContentAnalytics")
    return content_analytics(
        post_id=result.post_id,
        platform=metrics_platform(result),
        simulated=bool(metrics.raw.get("simulated")),
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


def metrics_snapshot_record(*, result: PublishResult, metrics: PostMetrics, at: datetime | None = None) -> Any:
    snapshot = _snapshot(result=result, metrics=metrics, at=at)
    snapshot.save()
    return snapshot


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
    fields = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions", "engagement_rate")
    event_emit(
        name=METRICS_UPDATED,
        team_id=account.team_id,
        data={
            "post": {"id": str(result.post_id)},
            "result": {"id": str(result.pk), "account_id": str(account.pk), "platform": result.platform},
            "metrics": {name: getattr(snapshot, name) for name in fields},
            "simulated": snapshot.simulated,
            "recorded_at": now.isoformat(),
        },
    )
    return snapshot


def metrics_backfill_simulated(*, result: PublishResult, until: datetime, days: int = 30) -> int:
    """Daily snapshots of a sandbox post from its delivery to `until` (at most `days`), exactly as the
    hourly fetch would have recorded them; for demo data. Skips a result that already has snapshots."""
    from social.models import SandboxPost
    from social.platforms.sandbox import sandbox_metrics

    content_analytics = apps.get_model("analytics", "ContentAnalytics")
    if result.platform != "sandbox" or not result.platform_post_id:
        return 0
    try:
        delivered = SandboxPost.objects.filter(pk=uuid.UUID(result.platform_post_id)).first()
    except ValueError:  # an id the sandbox never gave out (demo data seeded before deliveries were real)
        return 0
    if delivered is None or content_analytics.objects.filter(post_id=result.post_id).exists():
        return 0
    snapshots = []
    for day in range(1, days + 1):
        at = min(delivered.created_at + timedelta(days=day), until)
        metrics = sandbox_metrics(str(delivered.pk), age=at - delivered.created_at)
        snapshots.append(_snapshot(result=result, metrics=metrics, at=at))
        if at >= until:
            break
    # One insert; the rollups fold it on the next sweep (or the next dashboard read).
    content_analytics.objects.bulk_create(snapshots)
    PublishResult.objects.filter(pk=result.pk).update(metrics_fetched_at=until)
    return len(snapshots)
