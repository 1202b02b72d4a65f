from __future__ import annotations

from celery import shared_task

from monitoring.alerts import alerts_evaluate


@shared_task(name="monitoring.tasks.evaluate_alerts", ignore_result=True)  # no retry: beat runs it again
def evaluate_alerts() -> int:
    """Beat runs this every ALERT_CHECK_SECONDS; returns how many alerts went out."""
    return len(alerts_evaluate())
