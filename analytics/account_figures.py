"""Per-account figures: totals (latest snapshot per post) and a daily series of one social account's
published posts, for `GET /api/social/analytics`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

from analytics.metrics import engagement_rate
from analytics.models import ContentAnalytics
from core.api.errors import ValidationFailed
from social.models import PublishResult, PublishStatus, SocialAccount

METRIC_FIELDS = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")
RELATIVE_RANGES = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}


@dataclass(frozen=True)
class AccountRange:
    label: str
    start: datetime
    end: datetime


def parse_account_range(raw: str | None) -> AccountRange:
    """`7d`, `30d`, `90d`, `12m` or `YYYY-MM-DD..YYYY-MM-DD` (inclusive)."""
    value = (raw or "30d").strip()
    now = timezone.now()
    if value in RELATIVE_RANGES:
        return AccountRange(value, now - timedelta(days=RELATIVE_RANGES[value]), now)
    if ".." in value:
        first, _, last = value.partition("..")
        start_day, end_day = parse_date(first), parse_date(last)
        if start_day and end_day and start_day <= end_day and (end_day - start_day).days <= 731:
            start = datetime.combine(start_day, datetime.min.time(), tzinfo=UTC)
            end = datetime.combine(end_day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
            return AccountRange(value, start, end)
    raise ValidationFailed(
        "timeRange must be 7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD (at most two years).",
        details={"timeRange": ["Use 7d, 30d, 90d, 12m or from..to."]},
    )


def account_analytics(*, account: SocialAccount, time_range: AccountRange) -> dict[str, Any]:
    """Totals (latest snapshot per post) and a daily series for one account's published posts."""
    post_ids = list(
        PublishResult.objects.filter(social_account=account, status=PublishStatus.SUCCESS).values_list(
            "post_id", flat=True
        )
    )
    rows = (
        ContentAnalytics.objects.filter(
            post_id__in=post_ids,
            platform=account.platform,
            recorded_at__gte=time_range.start,
            recorded_at__lt=time_range.end,
        )
        .order_by("recorded_at")
        .values("post_id", "recorded_at", *METRIC_FIELDS)
    )
    latest: dict[Any, dict[str, Any]] = {}
    daily: dict[date, dict[Any, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        latest[row["post_id"]] = row
        daily[row["recorded_at"].date()][row["post_id"]] = row
    totals = _sum(latest.values())
    totals["posts"] = len(latest)
    series = []
    running: dict[Any, dict[str, Any]] = {}
    for day in sorted(daily):
        running.update(daily[day])
        series.append({"date": day.isoformat(), **_sum(running.values())})
    return {
        "accountId": str(account.pk),
        "platform": account.platform,
        "timeRange": time_range.label,
        "from": time_range.start.isoformat(),
        "to": time_range.end.isoformat(),
        "totals": totals,
        "series": series,
    }


def _sum(rows: Any) -> dict[str, Any]:
    totals: dict[str, Any] = dict.fromkeys(METRIC_FIELDS, 0)
    for row in rows:
        for name in METRIC_FIELDS:
            totals[name] += row[name]
    rate_inputs = {name: totals[name] for name in ("likes", "comments", "shares", "clicks", "impressions", "views")}
    totals["engagementRate"] = round(engagement_rate(**rate_inputs), 6)
    return totals
