"""HTTP plumbing the platform connectors share: sending, status classes, rate-limit headers, media bytes."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.netguard import GENERIC_MESSAGE, DestinationRefused
from social.platforms.base import ConnectorError, ErrorKind, MediaItem, RateBudget

REFUSED_CODE = "destination_refused"
# A reset further away than this is a misread header, not a real wait.
MAX_RETRY_AFTER = 24 * 3600
# Header values above this are Unix timestamps, below it a number of seconds (the IETF draft's delta form).
_EPOCH_THRESHOLD = 1_000_000_000


def now_utc() -> datetime:
    return datetime.now(tz=UTC)


def expires_at_from(expires_in: Any) -> datetime | None:
    try:
        seconds = int(expires_in)
    except (TypeError, ValueError):
        return None
    return now_utc() + timedelta(seconds=seconds) if seconds > 0 else None


def kind_for_status(status: int) -> ErrorKind:
    """The default class of an HTTP error status; connectors refine it with the platform's error body."""
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status == 401:
        return ErrorKind.AUTH
    if status in (408, 425) or (status >= 500 and status != 501):
        return ErrorKind.TRANSIENT
    return ErrorKind.CONTENT


def _reset_value_to_seconds(raw: str, now: datetime) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is not None:
        seconds = number - now.timestamp() if number > _EPOCH_THRESHOLD else number
        return int(seconds + 0.999)
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int((when - now).total_seconds() + 0.999)


def retry_after_from_headers(headers: httpx.Headers | dict[str, str], *, now: datetime | None = None) -> int | None:
    """Seconds to wait, from Retry-After or a rate-limit reset header; never negative, None when absent."""
    now = now or now_utc()
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in ("retry-after", "x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        if name in lowered:
            seconds = _reset_value_to_seconds(str(lowered[name]), now)
            if seconds is not None:
                return max(0, min(seconds, MAX_RETRY_AFTER))
    return None


def rate_limit_from_headers(headers: httpx.Headers, *, now: datetime | None = None) -> dict[str, Any] | None:
    """{"limit", "remaining", "reset_at"} from X's x-rate-limit-*, Mastodon's X-RateLimit-* or the IETF ratelimit-*."""
    now = now or now_utc()
    for prefix in ("x-rate-limit-", "x-ratelimit-", "ratelimit-"):
        limit = headers.get(prefix + "limit")
        remaining = headers.get(prefix + "remaining")
        if limit is None or remaining is None:
            continue
        try:
            parsed_limit, parsed_remaining = int(limit.split(";")[0]), int(remaining)
        except ValueError:
            continue
        reset_in = _reset_value_to_seconds(headers.get(prefix + "reset", ""), now)
        reset_at = now + timedelta(seconds=max(0, reset_in)) if reset_in is not None else None
        return {
            "limit": parsed_limit,
            "remaining": max(0, parsed_remaining),
            "reset_at": reset_at.isoformat() if reset_at else None,
        }
    return None


def budget_from_metadata(metadata: dict[str, Any], *, now: datetime | None = None) -> RateBudget | None:
    """The budget saved from the last response's headers, or a full one once its window has reset."""
    saved = metadata.get("rate_limit")
    if not isinstance(saved, dict) or "limit" not in saved:
        return None
    now = now or now_utc()
    resets_at = datetime.fromisoformat(saved["reset_at"]) if saved.get("reset_at") else None
    if resets_at is not None and resets_at <= now:
        return RateBudget(remaining=int(saved["limit"]), limit=int(saved["limit"]), resets_at=None)
    return RateBudget(remaining=int(saved.get("remaining", 0)), limit=int(saved["limit"]), resets_at=resets_at)


def json_body(response: httpx.Response) -> Any:
    """The parsed body, or {} for an empty or non-JSON one (proxies answer with HTML error pages)."""
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        return {}


def send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request; a network failure or timeout becomes a TRANSIENT ConnectorError."""
    try:
        return http.request(method, url, **kwargs)
    except DestinationRefused as exc:
        # One text and a non-retryable kind whatever the cause: the answer must not map the network.
        raise ConnectorError(str(GENERIC_MESSAGE), kind=ErrorKind.CONTENT, platform_code=REFUSED_CODE) from exc
    except httpx.TimeoutException as exc:
        raise ConnectorError(f"Timed out calling {httpx.URL(url).host}.", kind=ErrorKind.TRANSIENT) from exc
    except httpx.TransportError as exc:
        raise ConnectorError(f"Could not reach {httpx.URL(url).host}.", kind=ErrorKind.TRANSIENT) from exc


def http_error(
    response: httpx.Response,
    message: str,
    *,
    kind: ErrorKind | None = None,
    platform_code: str | None = None,
) -> ConnectorError:
    """A ConnectorError for a failed response, with retry_after filled in for rate limits."""
    kind = kind or kind_for_status(response.status_code)
    retry_after = retry_after_from_headers(response.headers) if kind == ErrorKind.RATE_LIMITED else None
    if kind == ErrorKind.RATE_LIMITED and retry_after is None:
        retry_after = 60
    return ConnectorError(
        message,
        kind=kind,
        status=response.status_code,
        retry_after=retry_after,
        platform_code=platform_code,
        raw=json_body(response),
    )


def media_bytes(http: httpx.Client, item: MediaItem) -> bytes:
    """The file's bytes: from our storage when we know its name, else downloaded from its URL."""
    if item.storage_path:
        from django.core.files.storage import default_storage

        try:
            with default_storage.open(item.storage_path, "rb") as handle:
                data: bytes = handle.read()
                return data
        except FileNotFoundError as exc:
            raise ConnectorError("The media file is missing from storage.", kind=ErrorKind.CONTENT) from exc
        except OSError as exc:
            raise ConnectorError("Could not read the media file from storage.", kind=ErrorKind.TRANSIENT) from exc
    response = send(http, "GET", item.url)
    if response.status_code != 200:
        raise ConnectorError(
            f"Could not read the media file ({response.status_code}).",
            kind=ErrorKind.TRANSIENT if response.status_code >= 500 else ErrorKind.CONTENT,
            status=response.status_code,
        )
    return response.content
