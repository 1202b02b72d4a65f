"""Engagement snapshots of published posts: the figures social's connectors report, recorded here.

The stored rate is analytics.metrics.engagement_rate (the one formula), filled on save by
analytics.signals; bulk inserts fill it here. Figures the sandbox made up are stored with
`simulated=True` so every place that shows them can say so.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.utils import timezone

from analytics.metrics import engagement_rate
from analytics.models import ContentAnalytics
from core.events import METRICS_UPDATED, event_emit
from social.models import PublishResult, SandboxPost
from social.platforms.base import PostMetrics
from social.platforms.sandbox import sandbox_metrics
from social.services.metrics import metrics_platform, post_metrics_fetch, publish_result_metrics_fetched


def _snapshot(*, result: PublishResult, metrics: PostMetrics, at: datetime | None = None) -> ContentAnalytics:
    counts = {
        name: max(getattr(metrics, name), 0)
        for name in ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")
    }
    rate_inputs = {k: counts[k] for k in ("likes", "comments", "shares", "clicks", "impressions", "views")}
    return ContentAnalytics(
        post_id=result.post_id,
        platform=metrics_platform(result),
        simulated=bool(metrics.raw.get("simulated")),
        engagement_rate=engagement_rate(**rate_inputs),
        recorded_at=at or timezone.now(),
        **counts,
    )


def metrics_snapshot_record(
    *, result: PublishResult, metrics: PostMetrics, at: datetime | None = None
) -> ContentAnalytics:
    snapshot = _snapshot(result=result, metrics=metrics, at=at)
    snapshot.save()
    return snapshot


def metrics_fetch_for_result(*, result_id: Any, http: httpx.Client | None = None) -> ContentAnalytics | None:
    """One snapshot for one published post; a failed fetch (recorded by social) records nothing."""
    fetched = post_metrics_fetch(result_id=result_id, http=http)
    if fetched is None:
        return None
    result = fetched.result
    snapshot = metrics_snapshot_record(result=result, metrics=fetched.metrics, at=fetched.at)
    publish_result_metrics_fetched(result=result, at=fetched.at)
    fields = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions", "engagement_rate")
    event_emit(
        name=METRICS_UPDATED,
        team_id=result.social_account.team_id,
        data={
            "post": {"id": str(result.post_id)},
            "result": {"id": str(result.pk), "account_id": str(result.social_account_id), "platform": result.platform},
            "metrics": {name: getattr(snapshot, name) for name in fields},
            "simulated": snapshot.simulated,
            "recorded_at": fetched.at.isoformat(),
        },
    )
    return snapshot


def metrics_backfill_simulated(*, result: PublishResult, until: datetime, days: int = 30) -> int:
    """Daily snapshots of a sandbox post from its delivery to `until` (at most `days`), exactly as the
    hourly fetch would have recorded them; for demo data. Skips a result that already has snapshots."""
    if result.platform != "sandbox" or not result.platform_post_id:
        return 0
    try:
        delivered = SandboxPost.objects.filter(pk=uuid.UUID(result.platform_post_id)).first()
    except ValueError:  # an id the sandbox never gave out (demo data seeded before deliveries were real)
        return 0
    if delivered is None or ContentAnalytics.objects.filter(post_id=result.post_id).exists():
        return 0
    snapshots = []
    for day in range(1, days + 1):
        at = min(delivered.created_at + timedelta(days=day), until)
        metrics = sandbox_metrics(str(delivered.pk), age=at - delivered.created_at)
        snapshots.append(_snapshot(result=result, metrics=metrics, at=at))
        if at >= until:
            break
    # One insert; the rollups fold it on the next sweep (or the next dashboard read).
    ContentAnalytics.objects.bulk_create(snapshots)
    publish_result_metrics_fetched(result=result, at=until)
    return len(snapshots)
