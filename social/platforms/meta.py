"""Meta Graph API pieces shared by the Instagram and Facebook connectors: error codes and insights values."""

from __future__ import annotations

import json
from typing import Any

import httpx

from social.platforms.base import ConnectorError, ErrorKind
from social.platforms.http import http_error, json_body, kind_for_status, retry_after_from_headers

DEFAULT_GRAPH_VERSION = "v25.0"

AUTH_CODES = frozenset({102, 190})
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
POLICY_BLOCK = 368
DUPLICATE_POST = 506
MEDIA_FETCH_FAILED = 9004
PUBLISH_QUOTA_SUBCODE = 2207042
NOT_FOUND_SUBCODE = 33


def graph_error_fields(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def classify(status: int, code: int | None, subcode: int | None, *, is_transient: bool = False) -> ErrorKind:
    """One ErrorKind for a Graph error, from its code first and the HTTP status last."""
    if code in AUTH_CODES or code in PERMISSION_CODES:
        # A missing permission is fixed the same way as a dead token: the user grants access again.
        return ErrorKind.AUTH
    if code in THROTTLE_CODES or code == POLICY_BLOCK or subcode == PUBLISH_QUOTA_SUBCODE:
        return ErrorKind.RATE_LIMITED
    if code == DUPLICATE_POST or code == MEDIA_FETCH_FAILED or (subcode and 2207000 <= subcode < 2208000):
        return ErrorKind.CONTENT
    if is_transient or code in (1, 2):
        return ErrorKind.TRANSIENT
    return kind_for_status(status)


def _usage_wait_seconds(headers: httpx.Headers) -> int | None:
    # Business Use Case throttling says how long until access returns, in minutes, per business id.
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = [
        int(entry.get("estimated_time_to_regain_access") or 0)
        for entries in usage.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    return max(minutes) * 60 if minutes and max(minutes) > 0 else None


def graph_error(response: httpx.Response, action: str, *, label: str) -> ConnectorError:
    fields = graph_error_fields(json_body(response))
    code = _int(fields.get("code"))
    subcode = _int(fields.get("error_subcode"))
    kind = classify(response.status_code, code, subcode, is_transient=bool(fields.get("is_transient")))
    message = fields.get("error_user_msg") or fields.get("message") or response.reason_phrase
    if code == DUPLICATE_POST:
        message = "the Page already has this exact post; change the text to post it again"
    error = http_error(
        response,
        f"{label} could not {action}: {message}.",
        kind=kind,
        platform_code=f"{code}/{subcode}" if subcode else (str(code) if code is not None else None),
    )
    if kind == ErrorKind.RATE_LIMITED:
        waits = [w for w in (retry_after_from_headers(response.headers), _usage_wait_seconds(response.headers)) if w]
        # Without a hint, a policy block or the daily quota is not worth retrying within the hour.
        error.retry_after = max(waits) if waits else (3600 if code == POLICY_BLOCK or subcode else 300)
    return error


def raise_for_graph(response: httpx.Response, action: str, *, label: str) -> None:
    if not response.is_success:
        raise graph_error(response, action, label=label)


def is_missing_object(response: httpx.Response) -> bool:
    """Graph answers a deleted or unknown id with 404, or 400 code 100 subcode 33."""
    if response.status_code == 404:
        return True
    fields = graph_error_fields(json_body(response))
    return _int(fields.get("code")) == 100 and _int(fields.get("error_subcode")) == NOT_FOUND_SUBCODE


def insight_values(body: Any) -> dict[str, int]:
    """{metric name: value} from an /insights answer; a metric with no data yet is missing, not 0."""
    values: dict[str, int] = {}
    for item in body.get("data", []) if isinstance(body, dict) else []:
        name = item.get("name")
        total = item.get("total_value") or {}
        if "value" in total:
            values[name] = _int(total["value"]) or 0
        elif item.get("values"):
            values[name] = _int(item["values"][-1].get("value")) or 0
    return values


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
