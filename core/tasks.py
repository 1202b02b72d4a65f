from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.models import Heartbeat


@shared_task(name="core.tasks.record_beat_heartbeat", ignore_result=True)
def record_beat_heartbeat() -> None:
    """Scheduled by beat and run by a worker: proves both are alive (shown on the status page)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})


@shared_task(name="core.tasks.ping", bind=True)
def ping(self, value: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A round trip through the broker: returns what it was given and which worker ran it."""
    return {"echo": value, "worker": self.request.hostname or ""}


@shared_task(name="core.tasks.current_request_id_task")
def current_request_id_task() -> str:
    """The request id the task's log lines carry (used to check propagation)."""
    from core.request_context import current_request_id

    return current_request_id()
