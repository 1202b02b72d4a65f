"""Failure-rate and heartbeat alerts: email ADMINS and an optional webhook, once per cooldown.

The cooldown is a cache key taken with `add` (atomic in Redis), so two workers evaluating at the
same moment still send one alert. No table: an alert is recomputed from rows every run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins
from django.utils import timezone

from monitoring import selectors
from monitoring.selectors import FailureRate

logger = logging.getLogger(__name__)

COOLDOWN_KEY = "monitoring:alert:{}"


@dataclass(frozen=True)
class Alert:
    key: str
    subject: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


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


def alerts_due(*, now: datetime | None = None) -> list[Alert]:
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
    return [alert for alert in candidates if alert is not None]


def alert_send(*, alert: Alert, http: httpx.Client | None = None) -> None:
    mail_admins(subject=alert.subject, message=alert.message, fail_silently=True)
    url = settings.ALERT_WEBHOOK_URL
    if not url:
        return
    payload = {
        "text": f"[ContentGenAI] {alert.subject}\n{alert.message}",  # Slack- and Mattermost-style hooks
        "alert": alert.key,
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


def alerts_evaluate(*, now: datetime | None = None, http: httpx.Client | None = None) -> list[Alert]:
    """Send each due alert unless it went out within the cooldown; returns what was sent."""
    sent = []
    cooldown = settings.ALERT_COOLDOWN_MINUTES * 60
    for alert in alerts_due(now=now):
        if not cache.add(COOLDOWN_KEY.format(alert.key), 1, timeout=cooldown):
            continue
        logger.error("alert", extra={"alert": alert.key, "subject": alert.subject})
        alert_send(alert=alert, http=http)
        sent.append(alert)
    return sent
