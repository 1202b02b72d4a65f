"""Usage for operators: AI calls, tokens, cost and failures per team and provider; publishes and
failures per platform; quota use per team. Platform-wide on purpose (staff only), each table one
grouped query whatever the number of rows behind it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.models import UsageQuota
from content.models import GenerationRecord
from social.models import PublishResult, PublishStatus

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30), "90d": timedelta(days=90)}
DEFAULT_RANGE = "30d"
QUOTA_ROWS = 200


@dataclass(frozen=True)
class UsageWindow:
    key: str
    start: datetime
    end: datetime


def usage_window(key: str | None, *, now: datetime | None = None) -> UsageWindow | None:
    """The window a `range` parameter names; None for an unknown one (the caller answers 400)."""
    key = key or DEFAULT_RANGE
    if key not in RANGES:
        return None
    end = now or timezone.now()
    return UsageWindow(key=key, start=end - RANGES[key], end=end)


def ai_usage(window: UsageWindow) -> list[dict[str, Any]]:
    """Per team and provider: calls that reached a provider, cache hits, tokens, estimated cost, failures."""
    rows = (
        GenerationRecord.objects.filter(created_at__gte=window.start, created_at__lt=window.end)
        .values("team_id", team_name=F("team__name"), provider_name=F("provider"))
        .annotate(
            calls=Count("pk", filter=Q(cache_hit=False)),
            cache_hits=Count("pk", filter=Q(cache_hit=True)),
            failures=Count("pk", filter=Q(succeeded=False, cache_hit=False)),
            tokens_in=Coalesce(Sum("tokens_in"), 0),
            tokens_out=Coalesce(Sum("tokens_out"), 0),
            cost=Coalesce(Sum("estimated_cost"), Decimal(0)),
        )
        .order_by("-cost", "team_name", "provider_name")
    )
    return [{**row, "provider_name": row["provider_name"] or "none"} for row in rows]


def publish_usage(window: UsageWindow) -> list[dict[str, Any]]:
    """Per platform: deliveries that ended in the window, how many succeeded and failed."""
    succeeded = Q(status=PublishStatus.SUCCESS, published_at__gte=window.start, published_at__lt=window.end)
    failed = Q(status=PublishStatus.FAILED, updated_at__gte=window.start, updated_at__lt=window.end)
    rows = (
        PublishResult.objects.filter(succeeded | failed)
        .values("platform")
        .annotate(
            published=Count("pk", filter=Q(status=PublishStatus.SUCCESS)),
            failures=Count("pk", filter=Q(status=PublishStatus.FAILED)),
        )
        .order_by("platform")
    )
    return [dict(row) for row in rows]


def quota_usage(*, limit: int = QUOTA_ROWS) -> list[dict[str, Any]]:
    """The teams closest to their generation quota first (the current period's counters)."""
    rows = UsageQuota.objects.values(
        "team_id",
        "content_generations",
        "max_content_generations",
        "api_calls",
        "max_api_calls",
        "reset_date",
        team_name=F("team__name"),
    ).order_by("-content_generations", "-api_calls", "team_name")[:limit]
    out = []
    for row in rows:
        limit_gen = row["max_content_generations"]
        share = round(100 * row["content_generations"] / limit_gen, 1) if limit_gen else None
        out.append({**row, "generations_percent": share})
    return out


def totals(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> dict[str, Any]:
    rows = list(rows)
    return {name: sum((row[name] for row in rows), Decimal(0) if name == "cost" else 0) for name in fields}


# A cell a spreadsheet would run as a formula. Neutralised with a leading apostrophe (OWASP's
# advice). Local until the shared CSV helper lands in core; then this should use it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def usage_csv(window: UsageWindow) -> str:
    """One CSV with the three tables, each under a header row naming it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["# AI usage", f"{window.start:%Y-%m-%d %H:%M} to {window.end:%Y-%m-%d %H:%M} UTC"])
    writer.writerow(
        [
            "team",
            "team_id",
            "provider",
            "calls",
            "cache_hits",
            "failures",
            "tokens_in",
            "tokens_out",
            "estimated_cost_usd",
        ]
    )
    for row in ai_usage(window):
        fields = ("team_name", "team_id", "provider_name", "calls", "cache_hits", "failures", "tokens_in", "tokens_out")
        writer.writerow([csv_cell(row[name]) for name in fields] + [f"{row['cost']:.6f}"])
    writer.writerow([])
    writer.writerow(["# Publishing"])
    writer.writerow(["platform", "published", "failures"])
    for row in publish_usage(window):
        writer.writerow([csv_cell(row["platform"]), row["published"], row["failures"]])
    writer.writerow([])
    writer.writerow(["# Quotas (current period)"])
    writer.writerow(["team", "team_id", "generations", "generation_limit", "api_calls", "api_call_limit", "resets"])
    for row in quota_usage():
        writer.writerow(
            [csv_cell(row["team_name"]), row["team_id"], row["content_generations"],
             row["max_content_generations"] if row["max_content_generations"] is not None else "unlimited",
             row["api_calls"], row["max_api_calls"] if row["max_api_calls"] is not None else "unlimited",
             row["reset_date"].isoformat()]
        )  # fmt: skip
    return out.getvalue()
