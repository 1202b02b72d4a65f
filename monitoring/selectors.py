"""Platform-wide reads for operators: failure rates, queue depth, heartbeats, recent errors.

These cross every team on purpose; only staff (the status page) and the /metrics scraper see them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from content.models import GenerationRecord
from content.workflow import approval_passed_q
from core.models import BackupRun, Heartbeat
from monitoring.models import AlertEvent, HealthSample
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


@dataclass(frozen=True)
class DispatchLag:
    due: int
    seconds: int


def dispatch_lag(*, now: datetime | None = None) -> DispatchLag | None:
    """How late the due posts are; None when none is waiting.

    Counted: approved posts with an account that are due and unclaimed (beat is not dispatching),
    by their time; and claimed posts no worker has finished (no worker runs), by their claim time.
    Posts waiting for approval are not late: nobody could send them.
    """
    now = now or timezone.now()
    unclaimed = ScheduledPost.objects.filter(
        approval_passed_q("post__"),
        status=ScheduleStatus.PENDING,
        scheduled_at__lte=now,
        social_account__isnull=False,
    ).aggregate(due=Count("pk"), oldest=Min("scheduled_at"))
    claimed = ScheduledPost.objects.filter(status=ScheduleStatus.PROCESSING, claimed_at__lte=now).aggregate(
        due=Count("pk"), oldest=Min("claimed_at")
    )
    oldest = [when for when in (unclaimed["oldest"], claimed["oldest"]) if when is not None]
    if not oldest:
        return None
    return DispatchLag(due=unclaimed["due"] + claimed["due"], seconds=max(0, int((now - min(oldest)).total_seconds())))


@dataclass(frozen=True)
class BackupAge:
    last_success: datetime | None
    hours: int


def backup_age(*, now: datetime | None = None) -> BackupAge | None:
    """Hours since the last successful backup; None when no backup was ever attempted."""
    now = now or timezone.now()
    last = (
        BackupRun.objects.filter(status=BackupRun.Status.SUCCEEDED)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is not None:
        return BackupAge(last_success=last, hours=int((now - last).total_seconds() // 3600))
    first_attempt = BackupRun.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first_attempt is None:
        return None
    return BackupAge(last_success=None, hours=int((now - first_attempt).total_seconds() // 3600))


@dataclass(frozen=True)
class Uptime:
    label: str
    passed: int
    expected: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.passed / self.expected, 2) if self.expected else None


def uptime(*, now: datetime | None = None) -> list[Uptime]:
    """Share of health probes that passed over the last day, week and 30 days. A probe that never
    ran (the evaluator was down too) counts as failed: expected probes are one per ALERT_CHECK_SECONDS
    since the first probe ever recorded, within the window."""
    now = now or timezone.now()
    first = HealthSample.objects.order_by("at").values_list("at", flat=True).first()
    interval = max(settings.ALERT_CHECK_SECONDS, 1)
    windows = [
        (gettext("24 hours"), timedelta(days=1)),
        (gettext("7 days"), timedelta(days=7)),
        (gettext("30 days"), timedelta(days=30)),
    ]
    result = []
    for label, span in windows:
        start = now - span
        if first is None:
            result.append(Uptime(label=label, passed=0, expected=0))
            continue
        counted_from = max(start, first)
        passed = HealthSample.objects.filter(at__gte=start, ok=True).count()
        recorded = HealthSample.objects.filter(at__gte=start).count()
        expected = max(recorded, int((now - counted_from).total_seconds() // interval) + 1)
        result.append(Uptime(label=label, passed=passed, expected=expected))
    return result


def alert_history(*, limit: int = 50) -> QuerySet[AlertEvent]:
    return AlertEvent.objects.order_by("-fired_at")[:limit]
