"""TikTok answers errors inside HTTP 200 bodies: `error.code` other than "ok" is a failure."""

from __future__ import annotations

from typing import Any

import httpx

from social.platforms.base import ConnectorError, ErrorKind
from social.platforms.http import http_error, json_body, kind_for_status

AUTH_CODES = frozenset({"access_token_invalid", "scope_not_authorized", "scope_permission_missed", "invalid_grant"})
RATE_CODES = frozenset({"rate_limit_exceeded", "spam_risk_too_many_posts", "reached_active_user_cap"})
TRANSIENT_CODES = frozenset({"internal_error"})
# Posting caps are per day; retrying sooner than an hour only burns requests.
DAILY_CAP_CODES = frozenset({"spam_risk_too_many_posts", "reached_active_user_cap"})


def error_of(body: Any) -> tuple[str, str]:
    """(code, message) of a TikTok body; OAuth endpoints use a flat {error, error_description}."""
    if not isinstance(body, dict):
        return "", ""
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("code") or ""), str(error.get("message") or "")
    if isinstance(error, str):
        return error, str(body.get("error_description") or "")
    return "", ""


def classify(status: int, code: str) -> ErrorKind:
    if code in AUTH_CODES:
        return ErrorKind.AUTH
    if code in RATE_CODES:
        return ErrorKind.RATE_LIMITED
    if code in TRANSIENT_CODES:
        return ErrorKind.TRANSIENT
    if status == 200:
        return ErrorKind.CONTENT  # a refusal wrapped in a 200: the request itself is what TikTok rejects
    return kind_for_status(status)


def check(response: httpx.Response, action: str) -> dict[str, Any]:
    """The body's `data` when TikTok says ok; a classified ConnectorError otherwise."""
    body = json_body(response)
    code, message = error_of(body)
    if response.status_code == 200 and code in ("ok", ""):
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else (body if isinstance(body, dict) else {})
    kind = classify(response.status_code, code)
    error: ConnectorError = http_error(
        response,
        f"TikTok could not {action}: {message or code or response.reason_phrase}.",
        kind=kind,
        platform_code=code or None,
    )
    if code in DAILY_CAP_CODES:
        error.retry_after = max(error.retry_after or 0, 3600)
    raise error
