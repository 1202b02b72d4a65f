from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.backups.database import BackupError
from core.models import Heartbeat
from core.retry import retry_on


@shared_task(name="core.tasks.record_beat_heartbeat", ignore_result=True)  # no retry: beat runs it again
def record_beat_heartbeat() -> None:
    """Scheduled by beat and run by a worker: proves both are alive (shown on the status page)."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})


@shared_task(name="core.tasks.ping", bind=True)  # no retry: a probe reports what happened
def ping(self, value: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A round trip through the broker: returns what it was given and which worker ran it."""
    return {"echo": value, "worker": self.request.hostname or ""}


@shared_task(name="core.tasks.current_request_id_task")  # no retry: a probe
def current_request_id_task() -> str:
    """The request id the task's log lines carry (used to check propagation)."""
    from core.request_context import current_request_id

    return current_request_id()


@shared_task(
    name="core.tasks.create_backup", bind=True, **retry_on(BackupError, OSError, max_retries=2, first_delay=600)
)
def create_backup(self) -> str:  # type: ignore[no-untyped-def]
    """Beat, daily: the database and media to storage under backups/, keeping BACKUP_KEEP runs."""
    from core.backups.services import backup_create

    return backup_create().name
