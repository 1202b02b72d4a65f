"""X API v2 error bodies (problem JSON) to ConnectorError."""

from __future__ import annotations

from typing import Any

import httpx

from social.platforms.base import ConnectorError, ErrorKind
from social.platforms.http import http_error, json_body, kind_for_status

_PROBLEM_PREFIX = "https://api.x.com/2/problems/"


def problem_of(body: Any) -> tuple[str, str]:
    """(problem kind, human message) from a problem-JSON body or an `errors[]` array."""
    if not isinstance(body, dict):
        return "", ""
    problem_type = str(body.get("type") or "")
    message = str(body.get("detail") or body.get("title") or "")
    errors = body.get("errors")
    if not message and isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        problem_type = problem_type or str(first.get("type") or "")
        message = str(first.get("detail") or first.get("message") or first.get("title") or "")
    if not message:
        message = str(body.get("error_description") or body.get("error") or "")
    return problem_type.removeprefix(_PROBLEM_PREFIX), message


def classify(status: int, problem_type: str, message: str) -> ErrorKind:
    if problem_type in ("rate-limit-exceeded", "usage-capped"):
        return ErrorKind.RATE_LIMITED
    if status == 403 and "duplicate" in message.lower():
        return ErrorKind.CONTENT
    return kind_for_status(status)


def raise_for_x(response: httpx.Response, action: str) -> None:
    if response.is_success:
        return
    problem_type, message = problem_of(json_body(response))
    kind = classify(response.status_code, problem_type, message)
    if response.status_code == 403 and "duplicate" in message.lower():
        raise http_error(
            response,
            "X refused this post because the account already posted the same text. Change the text to post it again.",
            kind=ErrorKind.CONTENT,
            platform_code="duplicate",
        )
    text = f"X could not {action}: {message or response.reason_phrase} ({response.status_code})."
    raise http_error(response, text, kind=kind, platform_code=problem_type or None)


def raise_token_error(response: httpx.Response) -> ConnectorError:
    """Token endpoint failures: a rejected code or refresh token means the user must connect again."""
    body = json_body(response)
    code = str(body.get("error", "")) if isinstance(body, dict) else ""
    message = str(body.get("error_description", "")) if isinstance(body, dict) else ""
    if response.status_code in (400, 401) and code in ("invalid_grant", "invalid_request", "invalid_client", ""):
        return http_error(
            response, f"X refused the authorization: {message or code or 'invalid grant'}.", kind=ErrorKind.AUTH
        )
    return http_error(response, f"X token request failed: {message or response.reason_phrase}.")
