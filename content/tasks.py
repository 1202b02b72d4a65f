from __future__ import annotations

from celery import shared_task


@shared_task(name="content.tasks.remind_task_deadlines")  # no retry: beat runs it again; a sent reminder is marked
def remind_task_deadlines() -> int:
    """Beat: deadline reminders for open tasks (once before, once overdue)."""
    from content.collaboration import task_deadlines_remind

    return task_deadlines_remind()
