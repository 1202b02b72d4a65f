"""Alerts: failure rates, heartbeats and outage conditions, by e-mail to ADMINS and a webhook.

Each condition has a key. The first evaluation that finds it over its threshold opens an
AlertEvent and sends it; while the row stays open nothing is sent again, except one reminder per
ALERT_COOLDOWN_MINUTES (a cache key taken with `add`, atomic in Redis, so two workers evaluating at
once still send one). An evaluation that no longer finds the condition resolves the row and sends
a "resolved" notice. The rows are the alert history the status page shows.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from monitoring import alert_conditions, selectors
from monitoring.alert_types import Alert
from monitoring.models import AlertEvent, HealthSample
from monitoring.selectors import FailureRate

logger = logging.getLogger(__name__)

COOLDOWN_KEY = "monitoring:alert:{}"
__all__ = ["Alert", "alerts_due", "alerts_evaluate", "alert_send", "threshold_crossed"]


def threshold_crossed(*, rate: FailureRate, threshold: float, min_events: int) -> bool:
    """At least `min_events` attempts, and the failed share at or above the threshold.

    The minimum keeps one failed call out of two from paging anyone at 3 a.m.
    """
    return rate.total >= max(min_events, 1) and rate.failures >= threshold * rate.total


def _rate_alert(key: str, what: str, rate: FailureRate, threshold: float, minutes: int) -> Alert | None:
    if not threshold_crossed(rate=rate, threshold=threshold, min_events=settings.ALERT_MIN_EVENTS):
        return None
    return Alert(
        key=key,
        subject=f"{what} failure rate {rate.percent}% over the last {minutes} minutes",
        message=(
            f"{rate.failures} of {rate.total} {what.lower()} attempts failed in the last {minutes} minutes "
            f"(threshold {threshold * 100:.0f}%). See the status page: {settings.SITE_URL}/admin/status/"
        ),
        details={"failures": rate.failures, "total": rate.total, "rate": rate.rate, "threshold": threshold},
    )


def alerts_due(*, now: datetime | None = None, failed_checks: list[str] | None = None) -> list[Alert]:
    """Every condition that is over its threshold right now, cooldown ignored."""
    now = now or timezone.now()
    minutes = settings.ALERT_WINDOW_MINUTES
    since = selectors.window_start(minutes=minutes, now=now)
    candidates = [
        _rate_alert(
            "publish-failure-rate",
            "Publishing",
            selectors.publish_failure_rate(since=since),
            settings.ALERT_PUBLISH_FAILURE_RATE,
            minutes,
        ),
        _rate_alert(
            "ai-failure-rate",
            "AI generation",
            selectors.ai_failure_rate(since=since),
            settings.ALERT_AI_FAILURE_RATE,
            minutes,
        ),
    ]
    for beat in selectors.heartbeat_ages(now=now):
        if beat.stale:
            candidates.append(
                Alert(
                    key=f"heartbeat-{beat.name}",
                    subject=f"Heartbeat “{beat.name}” is {beat.age_seconds} s old",
                    message=(
                        f"The {beat.name} heartbeat was last written at {beat.beat_at:%Y-%m-%d %H:%M:%S} UTC. "
                        "Check that Celery beat and the workers are running."
                    ),
                    details={"heartbeat": beat.name, "ageSeconds": beat.age_seconds},
                )
            )
    candidates += alert_conditions.http_alerts(now=now)
    candidates += alert_conditions.database_error_alerts(now=now)
    candidates += alert_conditions.dependency_alerts(failed=failed_checks or [])
    candidates += alert_conditions.queue_alerts()
    candidates += alert_conditions.dispatch_lag_alerts(now=now)
    candidates += alert_conditions.backup_alerts(now=now)
    return [alert for alert in candidates if alert is not None]


def alert_send(*, alert: Alert, http: httpx.Client | None = None, state: str = "firing") -> None:
    mail_admins(subject=alert.subject, message=alert.message, fail_silently=True)
    url = settings.ALERT_WEBHOOK_URL
    if not url:
        return
    payload = {
        "text": f"[ContentGenAI] {alert.subject}\n{alert.message}",  # Slack- and Mattermost-style hooks
        "alert": alert.key,
        "state": state,
        "subject": alert.subject,
        "message": alert.message,
        "details": alert.details,
    }
    client = http or httpx.Client(timeout=settings.ALERT_WEBHOOK_TIMEOUT)
    try:
        client.post(url, json=payload).raise_for_status()
    except httpx.HTTPError as exc:
        # The email went out; a broken webhook must not stop the next alert.
        logger.warning("alert webhook failed", extra={"alert": alert.key, "error": str(exc)[:200]})
    finally:
        if http is None:
            client.close()


def health_sample(*, now: datetime) -> list[str]:
    """Run the readiness checks and record the result (the uptime history); returns what failed."""
    from core.views import CHECKS

    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure is an outage of that dependency
            logger.warning("health check failed", extra={"check": name, "error": str(exc)[:200]})
            failed.append(name)
    try:
        HealthSample.objects.create(at=now, ok=not failed, failed=failed)
    except DatabaseError:
        pass  # the database is what failed; the missing sample counts as down
    return failed


def _may_notify(key: str) -> bool:
    return bool(cache.add(COOLDOWN_KEY.format(key), 1, timeout=settings.ALERT_COOLDOWN_MINUTES * 60))


def _open_or_remind(alert: Alert, *, now: datetime) -> bool:
    """True when the alert should be sent now: newly opened (always: the open row is the
    deduplication), or a reminder once the cooldown key has expired."""
    try:
        with transaction.atomic():
            event = AlertEvent.objects.select_for_update().filter(key=alert.key, resolved_at__isnull=True).first()
            if event is None:
                try:
                    with transaction.atomic():
                        event = AlertEvent.objects.create(
                            key=alert.key,
                            subject=alert.subject,
                            message=alert.message,
                            details=alert.details,
                            fired_at=now,
                        )
                except IntegrityError:
                    return False  # another worker opened it a moment ago and sends it
                cache.delete(COOLDOWN_KEY.format(alert.key))
                _may_notify(alert.key)  # starts the reminder cooldown (a no-op when Redis is down)
            elif not _may_notify(alert.key):
                return False
            event.last_notified_at = now
            event.notifications += 1
            event.subject, event.message, event.details = alert.subject, alert.message, alert.details
            event.save(update_fields=["last_notified_at", "notifications", "subject", "message", "details"])
            return True
    except DatabaseError:
        # No history without the database; the cooldown alone keeps the alert to one per period.
        return _may_notify(alert.key)


def _resolve_cleared(due_keys: set[str], *, now: datetime) -> list[Alert]:
    try:
        cleared = list(AlertEvent.objects.filter(resolved_at__isnull=True).exclude(key__in=due_keys))
    except DatabaseError:
        return []
    resolved = []
    for event in cleared:
        if AlertEvent.objects.filter(pk=event.pk, resolved_at__isnull=True).update(resolved_at=now) != 1:
            continue  # another worker resolved it
        cache.delete(COOLDOWN_KEY.format(event.key))
        lasted = int((now - event.fired_at).total_seconds())
        resolved.append(
            Alert(
                key=event.key,
                subject=f"Resolved: {event.subject}",
                message=f"The condition cleared at {now:%Y-%m-%d %H:%M:%S} UTC after {lasted} s.",
                details={**event.details, "lastedSeconds": lasted},
            )
        )
    return resolved


def alerts_evaluate(*, now: datetime | None = None, http: httpx.Client | None = None) -> list[Alert]:
    """Sample health, open or remind each due alert, resolve the cleared ones; returns the firing
    alerts that went out (resolution notices are sent too but not counted)."""
    now = now or timezone.now()
    failed = health_sample(now=now)
    due = alerts_due(now=now, failed_checks=failed)
    sent = []
    for alert in due:
        if not _open_or_remind(alert, now=now):
            continue
        logger.error("alert", extra={"alert": alert.key, "subject": alert.subject})
        alert_send(alert=alert, http=http)
        sent.append(alert)
    for notice in _resolve_cleared({alert.key for alert in due}, now=now):
        logger.warning("alert resolved", extra={"alert": notice.key})
        alert_send(alert=notice, http=http, state="resolved")
    _prune(now=now)
    return sent


def _prune(*, now: datetime) -> None:
    cutoff = now - timedelta(days=settings.ALERT_HISTORY_DAYS)
    try:
        HealthSample.objects.filter(at__lt=cutoff).delete()
        AlertEvent.objects.filter(resolved_at__lt=cutoff).delete()
    except DatabaseError:
        pass
