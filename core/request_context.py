"""The id of the request (or task) being served, readable from anywhere, including log filters."""

from __future__ import annotations

import contextvars
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(incoming: str | None) -> str:
    """Use the caller's X-Request-ID when it is a sane token, else make one."""
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str:
    return request_id_var.get()
