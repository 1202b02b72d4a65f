"""The outage conditions: HTTP 5xx rate, p95 latency per route group, database and Redis errors,
Celery backlog, dispatch lag of due posts and backup age. Each returns the alerts that hold now;
thresholds come from settings (ALERT_*)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from monitoring import request_stats, selectors
from monitoring.alert_types import Alert

STATUS = "{site}/admin/status/"


def _status_url() -> str:
    return STATUS.format(site=settings.SITE_URL)


def http_alerts(*, now: datetime) -> list[Alert]:
    minutes = settings.ALERT_REQUEST_WINDOW_MINUTES
    stats = request_stats.window_stats(minutes=minutes, now=now)
    alerts = []
    overall = request_stats.totals(stats)
    threshold = settings.ALERT_5XX_RATE
    if overall.requests >= max(settings.ALERT_MIN_REQUESTS, 1) and overall.errors >= threshold * overall.requests:
        worst = sorted((s for s in stats if s.errors), key=lambda s: -s.errors)[:5]
        alerts.append(
            Alert(
                key="http-5xx-rate",
                subject=f"HTTP 5xx rate {overall.error_percent}% over the last {minutes} minutes",
                message=(
                    f"{overall.errors} of {overall.requests} requests answered 5xx in the last {minutes} minutes "
                    f"(threshold {threshold * 100:.0f}%). Most errors: "
                    + ", ".join(f"{s.group} ({s.errors})" for s in worst)
                    + f". See {_status_url()}"
                ),
                details={
                    "errors": overall.errors,
                    "requests": overall.requests,
                    "rate": round(overall.error_rate, 4),
                    "threshold": threshold,
                },
            )
        )
    limit = settings.ALERT_P95_LATENCY_SECONDS
    for group in stats:
        if group.requests < max(settings.ALERT_MIN_REQUESTS, 1) or group.p95_seconds is None:
            continue
        if group.p95_seconds > limit:
            shown = "over 16" if group.p95_seconds == float("inf") else f"up to {group.p95_seconds:g}"
            alerts.append(
                Alert(
                    key=f"latency-p95-{group.group}",
                    subject=f"Slow responses on {group.group}: p95 {shown} s",
                    message=(
                        f"95% of {group.requests} requests to {group.group} in the last {minutes} minutes took "
                        f"{shown} seconds (threshold {limit:g} s)."
                    ),
                    details={"group": group.group, "requests": group.requests, "thresholdSeconds": limit},
                )
            )
    return alerts


def database_error_alerts(*, now: datetime) -> list[Alert]:
    """Requests that failed on a database error, even while the health probe still passes
    (a full connection pool, lock timeouts, a replica falling over between probes)."""
    minutes = settings.ALERT_REQUEST_WINDOW_MINUTES
    errors = request_stats.database_errors(minutes=minutes, now=now)
    limit = settings.ALERT_DATABASE_ERRORS
    if errors < max(limit, 1):
        return []
    return [
        Alert(
            key="database-errors",
            subject=f"{errors} requests failed on database errors in the last {minutes} minutes",
            message=f"{errors} requests raised a database error (threshold {limit}). See {_status_url()}",
            details={"errors": errors, "threshold": limit},
        )
    ]


def dependency_alerts(*, failed: list[str]) -> list[Alert]:
    """The readiness checks this evaluation ran: a failing database or Redis alerts at once."""
    names = {"database": "Database", "cache": "Redis (cache)"}
    return [
        Alert(
            key=f"dependency-{name}",
            subject=f"{label} is failing its health check",
            message=f"The {label.lower()} did not answer the readiness check. See {_status_url()}",
            details={"check": name},
        )
        for name, label in names.items()
        if name in failed
    ]


def queue_alerts() -> list[Alert]:
    limit = settings.ALERT_QUEUE_BACKLOG
    alerts = []
    for queue, length in selectors.queue_lengths().items():
        if length is not None and length >= limit:
            alerts.append(
                Alert(
                    key=f"queue-backlog-{queue}",
                    subject=f"Celery queue “{queue}” has {length} waiting tasks",
                    message=f"{length} tasks wait in “{queue}” (threshold {limit}): add workers or find a stuck one.",
                    details={"queue": queue, "length": length, "threshold": limit},
                )
            )
    return alerts


def dispatch_lag_alerts(*, now: datetime) -> list[Alert]:
    lag = selectors.dispatch_lag(now=now)
    limit = settings.ALERT_DISPATCH_LAG_SECONDS
    if lag is None or lag.seconds < limit:
        return []
    return [
        Alert(
            key="dispatch-lag",
            subject=f"Due posts are not going out: the oldest is {lag.seconds} s late",
            message=(
                f"{lag.due} scheduled posts are due and unclaimed; the oldest was due {lag.seconds} s ago "
                f"(threshold {limit} s). Check that beat and the workers run."
            ),
            details={"due": lag.due, "lagSeconds": lag.seconds, "thresholdSeconds": limit},
        )
    ]


def backup_alerts(*, now: datetime) -> list[Alert]:
    age = selectors.backup_age(now=now)
    limit_hours = settings.ALERT_BACKUP_MAX_AGE_HOURS
    if age is None or age.hours < limit_hours:
        return []
    when = f"{age.hours} hours ago" if age.last_success else "never"
    return [
        Alert(
            key="backup-age",
            subject=f"No successful backup for {age.hours} hours",
            message=(
                f"The last successful backup finished {when} (threshold {limit_hours} h). "
                "Run `manage.py backup_now` and look at the failed runs in the admin."
            ),
            details={"hours": age.hours, "thresholdHours": limit_hours},
        )
    ]
