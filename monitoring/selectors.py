"""Platform-wide reads for operators: failure rates, queue depth, heartbeats, recent errors.

These cross every team on purpose; only staff (the status page) and the /metrics scraper see them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from content.models import GenerationRecord
from core.models import Heartbeat
from scheduling.models import ScheduledPost, ScheduleStatus
from social.models import PublishResult, PublishStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FailureRate:
    """Finished attempts in a window and how many of them failed."""

    total: int
    failures: int

    @property
    def rate(self) -> float:
        return self.failures / self.total if self.total else 0.0

    @property
    def percent(self) -> float:
        return round(self.rate * 100, 1)


@dataclass(frozen=True)
class HeartbeatAge:
    name: str
    beat_at: datetime
    age_seconds: int
    stale: bool


def publish_failure_rate(*, since: datetime) -> FailureRate:
    """Deliveries that ended since `since`: successes by publish time, failures by when they failed."""
    succeeded = Q(status=PublishStatus.SUCCESS, published_at__gte=since)
    failed = Q(status=PublishStatus.FAILED, updated_at__gte=since)
    figures = PublishResult.objects.filter(succeeded | failed).aggregate(
        total=Count("pk"), failures=Count("pk", filter=Q(status=PublishStatus.FAILED))
    )
    return FailureRate(total=figures["total"], failures=figures["failures"])


def ai_failure_rate(*, since: datetime) -> FailureRate:
    """Generation calls that asked a provider (cache hits never fail and are left out)."""
    figures = GenerationRecord.objects.filter(created_at__gte=since, cache_hit=False).aggregate(
        total=Count("pk"), failures=Count("pk", filter=Q(succeeded=False))
    )
    return FailureRate(total=figures["total"], failures=figures["failures"])


def scheduled_posts_due(*, now: datetime | None = None) -> int:
    """Schedules whose time has come and that the dispatcher has not claimed yet."""
    now = now or timezone.now()
    return ScheduledPost.objects.filter(status=ScheduleStatus.PENDING, scheduled_at__lte=now).count()


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting in each monitored Celery queue; None when the broker cannot be asked."""
    from kombu.exceptions import ChannelError

    from config.celery import app

    lengths: dict[str, int | None] = dict.fromkeys(settings.MONITORING_QUEUES)
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for queue in settings.MONITORING_QUEUES:
                try:
                    lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except ChannelError:
                    lengths[queue] = 0  # Redis drops an empty queue's key: nothing waits
    except Exception as exc:  # noqa: BLE001 - a broker outage must not break the page or the scrape
        logger.warning("queue length unavailable", extra={"error": str(exc)[:200]})
    return lengths


def heartbeat_ages(*, now: datetime | None = None) -> list[HeartbeatAge]:
    """Every heartbeat; only those with a limit in MONITORING_HEARTBEATS can be stale."""
    now = now or timezone.now()
    limits: dict[str, int] = settings.MONITORING_HEARTBEATS
    ages = []
    for beat in Heartbeat.objects.order_by("name"):
        age = max(0, int((now - beat.beat_at).total_seconds()))
        limit = limits.get(beat.name)
        ages.append(
            HeartbeatAge(name=beat.name, beat_at=beat.beat_at, age_seconds=age, stale=limit is not None and age > limit)
        )
    return ages


def recent_publish_failures(*, limit: int = 20) -> QuerySet[PublishResult]:
    return (
        PublishResult.objects.filter(status=PublishStatus.FAILED)
        .select_related("post__team", "social_account")
        .order_by("-updated_at")[:limit]
    )


def recent_schedule_failures(*, limit: int = 20) -> QuerySet[ScheduledPost]:
    return (
        ScheduledPost.objects.filter(status=ScheduleStatus.FAILED)
        .select_related("post__team", "social_account")
        .order_by("-updated_at")[:limit]
    )


def recent_ai_failures(*, limit: int = 20) -> QuerySet[GenerationRecord]:
    return (
        GenerationRecord.objects.filter(succeeded=False, cache_hit=False)
        .select_related("team", "user")
        .order_by("-created_at")[:limit]
    )


def window_start(*, minutes: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(minutes=minutes)
