"""Reads for dashboards and exports, all from the daily rollups (docs/analytics.md: semantics).

Two kinds of figures, each labelled where it is shown:
- *activity in the period* (ACTIVITY): what posts gained during the period, the sum of the rollups'
  `<metric>_gained` over the period's days. A post not measured on a day gained nothing that day (its
  last value carries forward); the growth shows on the day it is measured. Totals, per-platform
  figures, KPIs and the daily series are this kind.
- *per-post lifetime* (LIFETIME): each post's latest cumulative value up to the period's end (the
  rollup row with the greatest date in the range). Top posts are this kind.
Every function here runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from analytics.metrics import METRICS, TimeRange, engagements, percent_change, platform_label, with_rate
from analytics.models import DailyMetricRollup
from analytics.posting_times import best_posting_times  # noqa: F401  (the scheduling issue's entry point)
from content.selectors import post_link_clicks

_SUMS = {name: Sum(name) for name in METRICS}
_GAINED_SUMS = {name: Sum(f"{name}_gained") for name in METRICS}
ACTIVITY = "activity"  # what posts gained in the period
LIFETIME = "lifetime"  # each post's latest cumulative value


def _rollups(*, team: Any, time_range: TimeRange, platform: str | None = None, post_id: Any = None) -> QuerySet:
    qs = DailyMetricRollup.objects.filter(team=team, date__gte=time_range.start, date__lte=time_range.end)
    if platform:
        qs = qs.filter(platform=platform)
    if post_id is not None:
        qs = qs.filter(post_id=post_id)
    return qs


def latest_in_range(*, team: Any, time_range: TimeRange, platform: str | None = None) -> QuerySet:
    """The rollup rows holding each (post, platform)'s latest snapshot within the range.

    PostgreSQL picks them with DISTINCT ON (one index-ordered pass); elsewhere a ROW_NUMBER window.
    """
    if connection.vendor == "postgresql":
        latest = (
            _rollups(team=team, time_range=time_range, platform=platform)
            .order_by("post_id", "platform", "-date")
            .distinct("post_id", "platform")
            .values("pk")
        )
        return DailyMetricRollup.objects.filter(pk__in=latest)
    ranked = (
        _rollups(team=team, time_range=time_range, platform=platform)
        .annotate(rank=Window(RowNumber(), partition_by=[F("post_id"), F("platform")], order_by=F("date").desc()))
        .filter(rank=1)
        .values("pk")
    )
    return DailyMetricRollup.objects.filter(pk__in=ranked)


def _grouped(qs: QuerySet, *fields: str) -> list[dict[str, Any]]:
    return list(qs.values(*fields).annotate(**_SUMS).order_by(*fields))


def _sum_rows(rows: list[dict[str, Any]]) -> dict[str, float]:
    return with_rate({name: sum(row[name] or 0 for row in rows) for name in METRICS})


def platform_totals(*, team: Any, time_range: TimeRange, platform: str | None = None) -> dict[str, dict[str, float]]:
    """{platform: metrics gained in the range}, with `simulated` when any of it came from the sandbox. One query."""
    rows = (
        _rollups(team=team, time_range=time_range, platform=platform)
        .values("platform", "simulated")
        .annotate(**_GAINED_SUMS)
        .order_by("platform", "simulated")
    )
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        held = out.setdefault(row["platform"], {**dict.fromkeys(METRICS, 0), "simulated": False})
        for name in METRICS:
            held[name] += row[name] or 0
        held["simulated"] = held["simulated"] or row["simulated"]
    return {name: {**with_rate(values), "simulated": bool(values["simulated"])} for name, values in out.items()}


def daily_series(*, team: Any, time_range: TimeRange, platform: str | None = None, post_id: Any = None) -> list[dict]:
    """What posts gained on each day of the range (zeros on days nothing was measured); today is `partial`."""
    rows = {
        row["date"]: row
        for row in _rollups(team=team, time_range=time_range, platform=platform, post_id=post_id)
        .values("date")
        .annotate(**_GAINED_SUMS)
        .order_by("date")
    }
    today = timezone.now().date()
    series = []
    for offset in range(time_range.days):
        current = time_range.start + timedelta(days=offset)
        series.append({"date": current.isoformat(), **with_rate(rows.get(current, {})), "partial": current >= today})
    return series


def top_posts(*, team: Any, time_range: TimeRange, platform: str | None = None, limit: int = 5) -> list[dict]:
    """Posts with the most interactions over their lifetime (latest values up to the range's end). One query."""
    rows = list(
        latest_in_range(team=team, time_range=time_range, platform=platform)
        .values("post_id", "post__title", "post__content")
        .annotate(**_SUMS)
        .annotate(interactions=F("likes") + F("comments") + F("shares") + F("clicks"))
        .order_by("-interactions", "post_id")[:limit]
    )
    return [
        {
            "post_id": str(row["post_id"]),
            "title": row["post__title"] or str(row["post_id"])[:8],
            "text": _excerpt(row["post__content"] or ""),
            **with_rate(row),
        }
        for row in rows
    ]


def _excerpt(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def breakdown(*, team: Any, time_range: TimeRange, dimension: str, platform: str | None = None) -> list[dict]:
    """Latest values within the range grouped by `language` or `region` (copied from the post). One query."""
    if dimension not in {"language", "region"}:
        raise ValueError(dimension)
    rows = _grouped(latest_in_range(team=team, time_range=time_range, platform=platform), dimension)
    return [{"key": row[dimension] or gettext("unspecified"), **with_rate(row)} for row in rows]


def _kpis(current: dict[str, float], previous: dict[str, float] | None) -> dict[str, dict[str, Any]]:
    """Each KPI against the previous period: absolute and percent change (None where it cannot be said)."""
    out: dict[str, dict[str, Any]] = {}
    for name in (*METRICS, "engagements", "engagement_rate"):
        before = None if previous is None else previous[name]
        out[name] = {
            "current": current[name],
            "previous": before,
            "absolute": None if before is None else round(current[name] - before, 6),
            "percent": None if before is None else percent_change(current[name], before),
        }
    return out


def dashboard_data(*, team: Any, time_range: TimeRange, platform: str | None = None) -> dict[str, Any]:
    """The dashboard's `data` (API.md): five queries, whatever the size of the team's history."""
    current = platform_totals(team=team, time_range=time_range, platform=platform)
    previous_range = time_range.previous()
    before = platform_totals(team=team, time_range=previous_range, platform=platform)
    history = DailyMetricRollup.objects.filter(team=team, date__lte=previous_range.end)
    has_previous = bool(before) or (history.filter(platform=platform) if platform else history).exists()
    totals = _sum_rows(list(current.values()))
    previous = _sum_rows(list(before.values()))
    totals["engagements"] = engagements(totals)
    previous["engagements"] = engagements(previous)
    change = {name: percent_change(totals[name], previous[name]) for name in (*METRICS, "engagement_rate")}
    today = timezone.now().date()
    return {
        "time_range": time_range.as_dict(),
        "previous_range": previous_range.as_dict(),
        "platform": platform or None,
        "kinds": {"totals": ACTIVITY, "series": ACTIVITY, "by_platform": ACTIVITY, "top_posts": LIFETIME},
        "totals": totals,
        "previous": previous,
        "has_previous": has_previous,
        "change": change if has_previous else dict.fromkeys(change),
        "kpis": _kpis(totals, previous if has_previous else None),
        "partial_day": today.isoformat() if time_range.start <= today <= time_range.end else None,
        "simulated_platforms": sorted(name for name, values in current.items() if values["simulated"]),
        "by_platform": [
            {"platform": name, "platform_name": platform_label(name), **values, "engagements": engagements(values)}
            for name, values in sorted(current.items())
        ],
        "series": daily_series(team=team, time_range=time_range, platform=platform),
        "top_posts": top_posts(team=team, time_range=time_range, platform=platform),
    }


def team_abtest(*, team: Any, test_id: Any) -> Any:
    from analytics.models import ABTest
    from core.api.errors import NotFoundError

    test = ABTest.objects.select_related("team").filter(team=team, pk=test_id).first()
    if test is None:
        raise NotFoundError("A/B test not found.")
    return test


def engagement_series(*, team: Any, time_range: TimeRange, platform: str | None = None, post: Any = None) -> dict:
    """What one post (per platform) or all the team's posts gained each day (ACTIVITY), and a post's link clicks."""
    if post is None:
        return {
            "time_range": time_range.as_dict(),
            "kind": ACTIVITY,
            "post_id": None,
            "series": daily_series(team=team, time_range=time_range, platform=platform),
        }
    rows = list(
        _rollups(team=team, time_range=time_range, platform=platform, post_id=post.pk)
        .values("platform", "date", "simulated")
        .annotate(**_GAINED_SUMS)
        .order_by("platform", "date")
    )
    return {
        "time_range": time_range.as_dict(),
        "kind": ACTIVITY,
        "post_id": str(post.pk),
        "title": post.title,
        "simulated_platforms": sorted({row["platform"] for row in rows if row["simulated"]}),
        # Clicks on the post's tracked links (our redirect counts them; lifetime, not limited to the range).
        "link_clicks": post_link_clicks(post=post),
        "series": [
            {
                "date": row["date"].isoformat(),
                **with_rate(row),
                "platform": row["platform"],
                "simulated": bool(row["simulated"]),
            }
            for row in rows
        ],
    }


INSIGHT_POST_LIMIT = 300


def content_insights(*, team: Any, time_range: TimeRange, platform: str | None = None) -> dict[str, Any]:
    """Sentiment against engagement, breakdowns by language and region, competitors. Four queries."""
    from analytics.insights import UNAVAILABLE, content_measures

    rows = list(
        latest_in_range(team=team, time_range=time_range, platform=platform)
        .values("post_id", "post__content", "post__hashtags", *METRICS)
        .order_by("-impressions")[:INSIGHT_POST_LIMIT]
    )
    by_label: dict[str, dict[str, float]] = {}
    for row in rows:
        m = content_measures(text=row["post__content"] or "", hashtags=row["post__hashtags"] or [], metrics=row)
        bucket = by_label.setdefault(m["sentiment_label"], {"posts": 0, "rate": 0.0, "impact": 0.0})
        bucket["posts"] += 1
        bucket["rate"] += m["engagement_rate"]
        bucket["impact"] += m["emotional_impact"] or 0.0
    # Posts in a language without a sentiment model form their own row, with no impact figure.
    sentiment = [
        {
            "label": label,
            "available": label != UNAVAILABLE,
            "posts": int(b["posts"]),
            "avg_engagement_rate": round(b["rate"] / b["posts"], 6),
            "avg_emotional_impact": round(b["impact"] / b["posts"], 1) if label != UNAVAILABLE else None,
        }
        for label, b in sorted(by_label.items())
    ]
    return {
        "time_range": time_range.as_dict(),
        "sentiment": sentiment,
        "by_language": breakdown(team=team, time_range=time_range, dimension="language", platform=platform),
        "by_region": breakdown(team=team, time_range=time_range, dimension="region", platform=platform),
        "competitors": competitor_comparison(team=team, own_rows=rows),
    }


def competitor_comparison(*, team: Any, own_rows: list[dict] | None = None) -> dict[str, Any]:
    """The team's posts and each competitor post on the same measures (length, hashtags, sentiment, rate)."""
    from analytics.insights import content_measures
    from analytics.models import CompetitorPost

    if own_rows is None:
        own_rows = list(
            latest_in_range(team=team, time_range=_last_90_days(), platform=None)
            .values("post_id", "post__content", "post__hashtags", *METRICS)
            .order_by("-impressions")[:INSIGHT_POST_LIMIT]
        )
    own = [
        content_measures(text=r["post__content"] or "", hashtags=r["post__hashtags"] or [], metrics=r) for r in own_rows
    ]
    competitors: list[dict[str, Any]] = []
    for post in CompetitorPost.objects.filter(team=team)[:100]:
        metrics = {m: getattr(post, m) for m in ("views", "likes", "shares", "comments", "clicks", "impressions")}
        competitors.append(
            {
                "id": str(post.pk),
                "competitor": post.competitor,
                "url": post.url,
                "platform": post.platform,
                "text": post.text[:280],
                "measures": content_measures(text=post.text, metrics=metrics),
            }
        )
    return {
        "yours": _average(own),
        "competitors": competitors,
        "competitor_average": _average([c["measures"] for c in competitors]),
    }


def _last_90_days() -> TimeRange:
    from analytics.metrics import parse_time_range

    return parse_time_range("90d")


def _average(measures: list[dict]) -> dict[str, float | None] | None:
    if not measures:
        return None
    keys = ("length", "hashtags", "sentiment", "emotional_impact", "engagement_rate")

    def mean(key: str) -> float | None:
        # Sentiment is averaged over the posts it could be measured on; None when there were none.
        values = [m[key] for m in measures if m.get(key) is not None]
        return round(sum(values) / len(values), 4) if values else None

    return {k: mean(k) for k in keys} | {"posts": len(measures)}


def recent_published_posts(*, ctx: Any, limit: int = 20) -> list[Any]:
    """Candidates for an A/B test form (through the one visibility rule for posts)."""
    from content.selectors import posts_visible

    posts = posts_visible(team=ctx.team, viewer=ctx)
    return list(posts.only("pk", "title", "content", "platform")[:limit])
