"""Request counts, 5xx counts and latency histograms per route group and minute, in the cache.

Every web process adds to the same keys (Redis in production), so the alert evaluator in a worker
sees the whole site. A group is the route pattern's first segment ("page:moderation"), or its first
two under /api/ ("api:content"): bounded by the URL patterns, never by what clients type.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

# Upper bounds in seconds; the last bucket takes everything slower.
BUCKETS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, float("inf"))
KEY_TTL = 2 * 60 * 60
SKIPPED_GROUPS = {"page:healthz", "page:readyz", "page:metrics", "page:static", "page:media"}


def route_group(route: str | None) -> str:
    if route is None:
        return "unmatched"
    parts = [p for p in route.strip("^/").split("/") if p]
    if parts and parts[0] == "api":
        return "api:" + (parts[1] if len(parts) > 1 and "<" not in parts[1] else "root")
    head = parts[0] if parts else ""
    return "page:" + (head if head and "<" not in head else "root")


def _minute(at: datetime) -> str:
    return at.strftime("%Y%m%d%H%M")


def _key(minute: str, group: str, field: str) -> str:
    return f"monitoring:req:{minute}:{group}:{field}"


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # the minute's first request: create the key (a racing process may win)
        if not cache.add(key, 1, timeout=KEY_TTL):
            cache.incr(key)


def _list_group(minute: str, group: str) -> None:
    key = f"monitoring:req:groups:{minute}"
    groups = cache.get(key) or ""
    if group not in groups.split("|"):
        # A lost update between two processes hides a group until its next request lists it again.
        cache.set(key, f"{groups}|{group}".strip("|"), timeout=KEY_TTL)


def request_record(*, group: str, status: int, seconds: float, at: datetime | None = None) -> None:
    minute = _minute(at or timezone.now())
    bucket = next(i for i, bound in enumerate(BUCKETS) if seconds <= bound)
    _incr(_key(minute, group, "n"))
    _incr(_key(minute, group, f"b{bucket}"))
    if status >= 500:
        _incr(_key(minute, group, "5xx"))
    _list_group(minute, group)


def database_error_record(*, at: datetime | None = None) -> None:
    """A request failed on a database error (connection lost, too many clients, a lock timeout)."""
    _incr(f"monitoring:dberr:{_minute(at or timezone.now())}")


def database_errors(*, minutes: int, now: datetime | None = None) -> int:
    keys = [f"monitoring:dberr:{m}" for m in _minutes(minutes=minutes, now=now or timezone.now())]
    return sum(int(v or 0) for v in cache.get_many(keys).values())


def on_request_exception(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """got_request_exception receiver: counts database errors (the 5xx count already has the rest)."""
    from django.db import DatabaseError

    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and settings.MONITORING_REQUEST_STATS:
        try:
            database_error_record()
        except Exception as exc:  # noqa: BLE001 - never turn a 500 into something worse
            logger.warning("database error not counted", extra={"error": str(exc)[:200]})


@dataclass(frozen=True)
class GroupStats:
    group: str
    requests: int
    errors: int
    p95_seconds: float | None

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def error_percent(self) -> float:
        return round(self.error_rate * 100, 1)


def _minutes(*, minutes: int, now: datetime) -> list[str]:
    return [_minute(now - timedelta(minutes=i)) for i in range(minutes)]


def p95(bucket_counts: list[int]) -> float | None:
    """The upper bound of the bucket holding the 95th percentile (inf for the slowest bucket)."""
    total = sum(bucket_counts)
    if not total:
        return None
    running = 0
    for bound, count in zip(BUCKETS, bucket_counts, strict=True):
        running += count
        if running >= 0.95 * total:
            return bound
    return BUCKETS[-1]


def window_stats(*, minutes: int, now: datetime | None = None) -> list[GroupStats]:
    """Each route group's requests, 5xx responses and p95 latency over the last `minutes` minutes."""
    now = now or timezone.now()
    minute_keys = _minutes(minutes=minutes, now=now)
    group_lists = cache.get_many([f"monitoring:req:groups:{m}" for m in minute_keys])
    groups = sorted({g for value in group_lists.values() for g in (value or "").split("|") if g})
    fields = ["n", "5xx", *[f"b{i}" for i in range(len(BUCKETS))]]
    keys = [_key(m, g, f) for m in minute_keys for g in groups for f in fields]
    values = cache.get_many(keys) if keys else {}
    stats = []
    for group in groups:

        def total(field: str, group: str = group) -> int:
            return sum(int(values.get(_key(m, group, field), 0)) for m in minute_keys)

        buckets = [total(f"b{i}") for i in range(len(BUCKETS))]
        stats.append(GroupStats(group=group, requests=total("n"), errors=total("5xx"), p95_seconds=p95(buckets)))
    return stats


def totals(stats: Iterable[GroupStats]) -> GroupStats:
    stats = list(stats)
    return GroupStats(
        group="all",
        requests=sum(s.requests for s in stats),
        errors=sum(s.errors for s in stats),
        p95_seconds=None,
    )


class RequestStatsMiddleware:
    """Times each request and counts it under its route group; never fails the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.MONITORING_REQUEST_STATS:
            match = getattr(request, "resolver_match", None)
            group = route_group(match.route if match is not None else None)
            if group not in SKIPPED_GROUPS:
                try:
                    request_record(group=group, status=response.status_code, seconds=time.perf_counter() - started)
                except Exception as exc:  # noqa: BLE001 - a cache outage must not fail the request
                    logger.warning("request stats not recorded", extra={"error": str(exc)[:200]})
        return response
