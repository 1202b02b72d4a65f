"""Rows that only record what happened (an answer served from the cache, a reused moderation
decision) are written in batches instead of one INSERT per request.

`buffered_create` keeps an unsaved row in this process; the rows go to the database in one
`bulk_create` per model when WRITE_BUFFER_MAX_ROWS are waiting, or at the end of the first request
(or Celery task) after the oldest has waited WRITE_BUFFER_MAX_SECONDS, and when the process exits.
Their timestamps are those of the flush, at most a few seconds late. A process killed with SIGKILL
loses what it had not flushed yet: at most WRITE_BUFFER_MAX_ROWS records, never a user's data.
With WRITE_BUFFER_MAX_ROWS = 1 every row is written at once (the test settings).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, models

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: dict[type[models.Model], list[models.Model]] = {}
_count = 0
_oldest: float | None = None


def buffered_create(row: models.Model) -> None:
    """Queue an unsaved row for the next batch; flushes when the batch is full."""
    global _count, _oldest
    with _lock:
        _pending.setdefault(type(row), []).append(row)
        _count += 1
        if _oldest is None:
            _oldest = time.monotonic()
        full = _count >= settings.WRITE_BUFFER_MAX_ROWS
    if full:
        buffered_flush()


def buffered_pending() -> int:
    return _count


def buffered_flush() -> int:
    """Write every waiting row, one statement per model. Returns how many were written."""
    global _pending, _count, _oldest
    with _lock:
        batch, _pending, _count, _oldest = _pending, {}, 0, None
    written = 0
    for model, rows in batch.items():
        try:
            model._default_manager.bulk_create(rows, batch_size=500)
            written += len(rows)
        except DatabaseError:
            logger.exception("buffered records could not be written", extra={"model": model._meta.label})
    return written


def buffered_flush_if_due(**_: object) -> None:
    """At the end of a request or task: flush once the oldest waiting row is old enough."""
    oldest = _oldest
    if oldest is not None and time.monotonic() - oldest >= settings.WRITE_BUFFER_MAX_SECONDS:
        buffered_flush()


def _flush_at_exit() -> None:
    try:
        buffered_flush()
    except Exception:  # noqa: BLE001 - the interpreter is going away; nothing left to tell
        logger.exception("buffered records lost at exit")


atexit.register(_flush_at_exit)
