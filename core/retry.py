"""The one retry convention for Celery tasks.

A task that is worth running again after an error declares `**RETRY_ON_ERROR`: Celery retries it
when it raises, with exponential backoff and jitter, up to `max_retries` times. Every other task
says in a one-line comment who retries instead: beat runs it again on its next tick, or (for
deliveries) the publishing lease sweep (`social.tasks.retry_due_publish_results`) owns retries.
No task declares a `max_retries` of its own or calls `self.retry` by hand.
"""

from __future__ import annotations

from typing import Any

RETRY_ON_ERROR: dict[str, Any] = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,  # seconds before the first retry, doubling each time
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 3,
}


def retry_on(*errors: type[BaseException], max_retries: int = 3, first_delay: int = 30) -> dict[str, Any]:
    """`RETRY_ON_ERROR` narrowed to some errors, or with another count or first delay."""
    return {**RETRY_ON_ERROR, "autoretry_for": errors, "max_retries": max_retries, "retry_backoff": first_delay}
