"""Worker-side task hooks: the request id from the web request that queued a task goes into the task's
log lines, and database connections live as long as CONN_MAX_AGE says, as in the web process."""

from __future__ import annotations

from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.db import close_old_connections

from core.request_context import current_request_id, new_request_id, request_id_var

_tokens: dict[str, Any] = {}


@before_task_publish.connect(dispatch_uid="core_request_id_publish")
def add_request_id_header(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is not None and current_request_id():
        headers.setdefault("request_id", current_request_id())


@task_prerun.connect(dispatch_uid="core_request_id_prerun")
def bind_request_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    incoming = getattr(task.request, "request_id", None) if task is not None else None
    # Eager tasks run inside the request itself, so its id is already current.
    _tokens[task_id or ""] = request_id_var.set(incoming or current_request_id() or task_id or new_request_id())


@task_postrun.connect(dispatch_uid="core_request_id_postrun")
def unbind_request_id(task_id: str | None = None, **kwargs: Any) -> None:
    token = _tokens.pop(task_id or "", None)
    if token is not None:
        request_id_var.reset(token)


@task_prerun.connect(dispatch_uid="core_db_connections_prerun")
@task_postrun.connect(dispatch_uid="core_db_connections_postrun")
def close_old_db_connections(task: Any = None, **kwargs: Any) -> None:
    """A task starts and ends like a web request: connections past CONN_MAX_AGE, or broken, are closed;
    the others are kept for the next task (settings.CELERY_DB_REUSE_MAX turns off Celery's own close
    after every task, which made a worker reconnect to PostgreSQL for each one)."""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # an eager task runs inside its caller's request or transaction: the connection is the caller's
    close_old_connections()
