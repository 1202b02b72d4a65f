"""Metric values of published posts, as each platform's connector reports them.

Social fetches; the analytics app records the snapshots and computes the rates
(`analytics.snapshots`). A sandbox account can stand in for another network (the demo's does: the
publish result's metadata `target_platform`); its figures are then filed under that network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from social.models import AccountHealth, PublishResult, PublishStatus
from social.platforms.base import ConnectorError, PostMetrics
from social.services.accounts import account_record_error
from social.services.credentials import account_credentials, connector_for_account

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedMetrics:
    result: PublishResult
    metrics: PostMetrics
    at: datetime


def metrics_platform(result: PublishResult) -> str:
    """The network a result's figures are filed under (a sandbox standing in for one files under it)."""
    meta = result.metadata if isinstance(result.metadata, dict) else {}
    target = str(meta.get("target_platform") or "") if result.platform == "sandbox" else ""
    return target or result.platform


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


def publish_result_metrics_fetched(*, result: PublishResult, at: datetime) -> None:
    PublishResult.objects.filter(pk=result.pk).update(metrics_fetched_at=at)


def post_metrics_fetch(*, result_id: Any, http: httpx.Client | None = None) -> FetchedMetrics | None:
    """One published post's figures from its platform; a failed fetch records the account's error."""
    result = PublishResult.objects.select_related("social_account__team").get(pk=result_id)
    account = result.social_account
    connector = connector_for_account(account, http=http)
    now = timezone.now()
    try:
        metrics = connector.fetch_metrics(account_credentials(account), result.platform_post_id or "")
    except ConnectorError as exc:
        logger.warning("metrics fetch failed", extra={"publish_result": str(result.pk), "kind": str(exc.kind)})
        account_record_error(account=account, error=exc)
        publish_result_metrics_fetched(result=result, at=now)
        return None
    except httpx.HTTPError:
        logger.warning("metrics fetch failed: network", extra={"publish_result": str(result.pk)})
        return None
    return FetchedMetrics(result=result, metrics=metrics, at=now)
