"""Thin Celery wrappers around scheduling services."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from scheduling.series import recurrences_materialize_all
from scheduling.services import (
    dispatch_due_posts,
    processing_reconcile,
    reminders_send,
    scheduled_post_publish,
    scheduled_posts_publish,
)


@shared_task(bind=True, acks_late=True)  # no retry: beat runs it again in a few seconds
def dispatch_due_scheduled_posts(self: Any) -> int:
    """Beat, every few seconds: claim what is due and queue its delivery."""
    return len(dispatch_due_posts())


@shared_task(bind=True, acks_late=True)  # no retry: the publishing lease sweep owns delivery retries
def publish_scheduled_post(self: Any, scheduled_id: str) -> str:
    """Deliver one claimed schedule; a duplicate run finds the delivery claimed or done."""
    return str(scheduled_post_publish(scheduled_id=scheduled_id).status)


@shared_task(bind=True, acks_late=True)  # no retry: the publishing lease sweep owns delivery retries
def publish_scheduled_posts(self: Any, scheduled_ids: list[str]) -> int:
    """Deliver a chunk of claimed schedules, each with its own claim; a redelivered chunk skips what is done."""
    return len(scheduled_posts_publish(scheduled_ids=scheduled_ids))


@shared_task(bind=True, acks_late=True)  # no retry: beat runs it again
def reconcile_scheduled_posts(self: Any) -> int:
    return processing_reconcile()


@shared_task(bind=True, acks_late=True)  # no retry: beat runs it again every minute
def send_schedule_reminders(self: Any) -> int:
    return reminders_send()


@shared_task(bind=True, acks_late=True)  # no retry: beat runs it again every hour
def materialize_recurrences(self: Any) -> int:
    return recurrences_materialize_all()


# No retry: data_export_build records a failure on the export itself, for the user to start again.
@shared_task(name="scheduling.tasks.build_data_export", bind=True)
def build_data_export(self: Any, export_id: str) -> str | None:
    """Render one portability export to storage (JSON, CSV zip or XML)."""
    from scheduling.portability.services import data_export_build

    export = data_export_build(export_id=export_id)
    return export.status if export else None
