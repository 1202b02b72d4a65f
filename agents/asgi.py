"""The front door of `/mcp`: Streamable HTTP for MCP clients, served beside Django by config.asgi.

Every request carries `Authorization: Bearer <API key>` (the dashboard's personal keys). The door
checks the Host against ALLOWED_HOSTS, resolves the key, the workspace it acts in (`X-Team-ID`, else
the owner's current team, as the REST API does) and the plan's API access, and counts the request
in the same per-user bucket as the REST API. Failures answer in the API's error envelope before the
MCP SDK sees the request.

The transport is stateless with JSON responses: each POST is complete in itself, so any web process
behind the load balancer can answer it and no session lives in one process's memory. A session
manager is made per request for the same reason; it also means no ASGI lifespan is needed (the web
processes run with `--lifespan off`).
"""

from __future__ import annotations

import json
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import Message, Receive, Scope, Send

from agents.principal import PRINCIPAL_SCOPE_KEY, Principal, principal_resolve
from core.api.errors import ApiError
from core.api.exceptions import error_body

PATH = "/mcp"
# Bearer keys are not sent by browsers on their own, so DNS rebinding gains nothing; the Host is
# still checked against ALLOWED_HOSTS, like every Django page.
_TRANSPORT_SECURITY = TransportSecuritySettings(enable_dns_rebinding_protection=False)


def is_mcp_path(path: str) -> bool:
    return path == PATH or path.startswith(PATH + "/")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    raw = json.dumps(body).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    head += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": raw})


def _door(scope: Scope) -> Principal:
    """Runs in Django's sync thread: the key, the workspace and the rate limit (raises ApiError)."""
    close_old_connections()
    try:
        return principal_resolve(
            authorization=_header(scope, b"authorization"),
            team_id=_header(scope, b"x-team-id") or None,
        )
    finally:
        close_old_connections()


def _error(exc: ApiError) -> tuple[int, dict[str, Any], dict[str, str]]:
    headers: dict[str, str] = {}
    if exc.status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="mcp"'
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    body = error_body(
        code=exc.code,
        message=exc.message,
        details=exc.details,
        retryable=exc.retryable,
        retry_after=exc.retry_after,
    )
    return exc.status_code, body, headers


def _with_rate_limit_headers(send: Send, principal: Principal) -> Send:
    """The REST API's X-RateLimit-Limit/Remaining/Reset on every MCP response."""
    state = principal.rate_limit
    if state is None:
        return send
    extra = [
        (b"x-ratelimit-limit", str(state.limit).encode()),
        (b"x-ratelimit-remaining", str(state.remaining).encode()),
        (b"x-ratelimit-reset", str(state.reset_at).encode()),
    ]

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sending


async def mcp_app(scope: Scope, receive: Receive, send: Send) -> None:
    host, _port = split_domain_port(_header(scope, b"host"))
    if not validate_host(host, settings.ALLOWED_HOSTS):
        await _send_json(send, 400, error_body(code="VALIDATION_ERROR", message="Invalid Host header."))
        return
    try:
        principal = await sync_to_async(_door)(scope)
    except ApiError as exc:
        status, body, headers = _error(exc)
        await _send_json(send, status, body, headers)
        return
    from agents.server import server  # the tools import the apps' models

    scope = {**scope, PRINCIPAL_SCOPE_KEY: principal}
    manager = StreamableHTTPSessionManager(
        app=server._lowlevel_server,  # the SDK's own Client reaches it the same way
        stateless=True,
        json_response=True,
        security_settings=_TRANSPORT_SECURITY,
    )
    async with manager.run():
        await manager.handle_request(scope, receive, _with_rate_limit_headers(send, principal))
