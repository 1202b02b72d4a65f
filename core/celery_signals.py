"""Carry the request id from the web request that queued a task into the task's log lines."""

from __future__ import annotations

from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

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
