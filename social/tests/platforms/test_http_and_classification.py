from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from social.platforms import meta
from social.platforms.base import ErrorKind
from social.platforms.bluesky.connector import classify as bluesky_classify
from social.platforms.http import kind_for_status, rate_limit_from_headers, retry_after_from_headers
from social.platforms.linkedin.connector import classify as linkedin_classify
from social.platforms.mastodon.connector import classify as mastodon_classify
from social.platforms.registry import CONNECTORS, get_connector
from social.platforms.twitter.errors import classify as x_classify

NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
statuses = st.integers(min_value=400, max_value=599)

CLASSIFIERS = {
    "default": kind_for_status,
    "linkedin": linkedin_classify,
    "mastodon": mastodon_classify,
    "x": lambda status: x_classify(status, "", ""),
    "bluesky": lambda status: bluesky_classify(status, ""),
    "meta": lambda status: meta.classify(status, None, None),
}


# Property 20: Platform Compliance and Error Handling
@given(statuses)
def test_every_status_maps_to_exactly_one_kind_consistently(status: int) -> None:
    for name, classify in CLASSIFIERS.items():
        kind = classify(status)
        assert isinstance(kind, ErrorKind), name
        assert classify(status) is kind, name  # same answer every time
        if status == 429:
            assert kind is ErrorKind.RATE_LIMITED, name
        elif status == 401:
            assert kind is ErrorKind.AUTH, name
        elif status >= 500 and status != 501:
            assert kind is ErrorKind.TRANSIENT, name


# Property 20: Platform Compliance and Error Handling
@given(st.integers(min_value=-(10**10), max_value=10**10))
def test_reset_headers_never_give_a_negative_wait(value: int) -> None:
    for name in ("Retry-After", "x-rate-limit-reset", "X-RateLimit-Reset", "ratelimit-reset"):
        wait = retry_after_from_headers({name: str(value)}, now=NOW)
        assert wait is not None and 0 <= wait <= 24 * 3600


# Property 20: Platform Compliance and Error Handling
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_date_shaped_resets_never_give_a_negative_wait(when: datetime) -> None:
    for value in (when.isoformat(), when.isoformat().replace("+00:00", "Z"), format_datetime(when, usegmt=True)):
        wait = retry_after_from_headers({"X-RateLimit-Reset": value}, now=NOW)
        assert wait is not None and wait >= 0
        if when > NOW + timedelta(seconds=1) and when < NOW + timedelta(hours=23):
            assert abs(wait - (when - NOW).total_seconds()) <= 1


# Property 20: Platform Compliance and Error Handling
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=-5, max_value=10**6), st.integers(0, 10**5))
def test_rate_limit_headers_parse_to_non_negative_budget(limit: int, remaining: int, reset_in: int) -> None:
    headers = httpx.Headers(
        {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(NOW.timestamp()) + reset_in),
        }
    )
    parsed = rate_limit_from_headers(headers, now=NOW)
    assert parsed is not None and parsed["remaining"] >= 0 and parsed["limit"] == limit
    assert datetime.fromisoformat(parsed["reset_at"]) >= NOW


def test_retry_after_absent_is_none() -> None:
    assert retry_after_from_headers({}, now=NOW) is None
    assert retry_after_from_headers({"Retry-After": "soon"}, now=NOW) is None


@pytest.mark.parametrize(
    ("code", "subcode", "kind"),
    [
        (190, 460, ErrorKind.AUTH),
        (10, None, ErrorKind.AUTH),
        (4, None, ErrorKind.RATE_LIMITED),
        (17, None, ErrorKind.RATE_LIMITED),
        (32, None, ErrorKind.RATE_LIMITED),
        (613, None, ErrorKind.RATE_LIMITED),
        (368, None, ErrorKind.RATE_LIMITED),
        (9, 2207042, ErrorKind.RATE_LIMITED),
        (506, None, ErrorKind.CONTENT),
        (9004, 2207052, ErrorKind.CONTENT),
        (36003, 2207009, ErrorKind.CONTENT),
    ],
)
def test_graph_codes(code: int, subcode: int | None, kind: ErrorKind) -> None:
    assert meta.classify(400, code, subcode) is kind


def test_registry_builds_every_real_connector(settings: object) -> None:
    for platform in CONNECTORS:
        if platform == "sandbox":
            continue
        connector = get_connector(platform, http=httpx.Client())
        assert connector.platform == platform


def test_media_bytes_prefers_storage_and_reports_missing_files(settings: Any, tmp_path: Path) -> None:
    from social.platforms.base import ConnectorError, MediaItem
    from social.platforms.http import media_bytes

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.jpg").write_bytes(b"jpeg-bytes")
    with httpx.Client() as client:  # no request may leave: the file comes from storage
        item = MediaItem(
            url="https://cdn.invalid/a.jpg", content_type="image/jpeg", size_bytes=10, storage_path="posts/a.jpg"
        )
        assert media_bytes(client, item) == b"jpeg-bytes"
        missing = MediaItem(url="", content_type="image/jpeg", size_bytes=1, storage_path="posts/gone.jpg")
        with pytest.raises(ConnectorError) as caught:
            media_bytes(client, missing)
        assert caught.value.kind is ErrorKind.CONTENT
