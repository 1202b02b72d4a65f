"""Reads of the social app. Every lookup is scoped to a team: another team's row is a 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from content.models import ContentPost
from core.api.errors import NotFoundError, ValidationFailed
from core.lookups import uuid_or_404
from social.models import MediaAsset, PublishResult, PublishStatus, SocialAccount
from teams.models import Team

METRIC_FIELDS = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")
RELATIVE_RANGES = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}


def accounts_for_team(*, team: Team, include_inactive: bool = False) -> QuerySet[SocialAccount]:
    accounts = SocialAccount.objects.filter(team=team).select_related("connected_by")
    return accounts if include_inactive else accounts.filter(is_active=True)


def account_get(*, team: Team, account_id: Any) -> SocialAccount:
    account = accounts_for_team(team=team).filter(pk=uuid_or_404(account_id, "account")).first()
    if account is None:
        raise NotFoundError("No such account.")
    return account


def accounts_by_ids(*, team: Team, account_ids: list[Any]) -> list[SocialAccount]:
    wanted = [uuid_or_404(a, "account") for a in account_ids]
    found = {a.pk: a for a in accounts_for_team(team=team).filter(pk__in=wanted)}
    missing = [str(a) for a in wanted if a not in found]
    if missing:
        raise NotFoundError("No such account.", details={"accountIds": missing})
    return [found[a] for a in dict.fromkeys(wanted)]


def accounts_for_platforms(*, team: Team, platforms: list[str]) -> list[SocialAccount]:
    """Every active account of the team on each named platform; a platform without one is an error."""
    accounts = list(accounts_for_team(team=team).filter(platform__in=platforms).order_by("platform", "created_at"))
    unconnected = sorted(set(platforms) - {a.platform for a in accounts})
    if unconnected:
        raise ValidationFailed(
            f"No connected account on {', '.join(unconnected)}.",
            details={"platforms": [f"Connect a {p} account first." for p in unconnected]},
        )
    return accounts


def post_get(*, team: Team, post_id: Any) -> ContentPost:
    post = ContentPost.objects.filter(team=team, pk=uuid_or_404(post_id, "post")).first()
    if post is None:
        raise NotFoundError("No such post.")
    return post


def posts_by_ids(*, team: Team, post_ids: list[Any]) -> list[ContentPost]:
    wanted = [uuid_or_404(p, "post") for p in post_ids]
    found = {p.pk: p for p in ContentPost.objects.filter(team=team, pk__in=wanted)}
    missing = [str(p) for p in wanted if p not in found]
    if missing:
        raise NotFoundError("No such post.", details={"postIds": missing})
    return [found[p] for p in dict.fromkeys(wanted)]


def publishable_posts(*, team: Team, limit: int = 30) -> QuerySet[ContentPost]:
    return ContentPost.objects.filter(team=team).order_by("-updated_at")[:limit]


def results_for_post(*, post: ContentPost) -> QuerySet[PublishResult]:
    return PublishResult.objects.filter(post=post).select_related("social_account").order_by("platform", "created_at")


def media_for_team(*, team: Team) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.filter(team=team)


def media_get(*, team: Team, media_id: Any) -> MediaAsset:
    asset = media_for_team(team=team).filter(pk=uuid_or_404(media_id, "media")).first()
    if asset is None:
        raise NotFoundError("No such media.")
    return asset


def media_by_ids(*, team: Team, media_ids: list[Any]) -> list[MediaAsset]:
    wanted = [uuid_or_404(m, "media") for m in media_ids]
    found = {m.pk: m for m in media_for_team(team=team).filter(pk__in=wanted)}
    missing = [str(m) for m in wanted if m not in found]
    if missing:
        raise NotFoundError("No such media.", details={"mediaIds": missing})
    return [found[m] for m in dict.fromkeys(wanted)]


@dataclass(frozen=True)
class TimeRange:
    label: str
    start: datetime
    end: datetime


def parse_time_range(raw: str | None) -> TimeRange:
    """`7d`, `30d`, `90d`, `12m` or `YYYY-MM-DD..YYYY-MM-DD` (inclusive)."""
    value = (raw or "30d").strip()
    now = timezone.now()
    if value in RELATIVE_RANGES:
        return TimeRange(value, now - timedelta(days=RELATIVE_RANGES[value]), now)
    if ".." in value:
        first, _, last = value.partition("..")
        start_day, end_day = parse_date(first), parse_date(last)
        if start_day and end_day and start_day <= end_day and (end_day - start_day).days <= 731:
            start = datetime.combine(start_day, datetime.min.time(), tzinfo=UTC)
            end = datetime.combine(end_day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
            return TimeRange(value, start, end)
    raise ValidationFailed(
        "timeRange must be 7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD (at most two years).",
        details={"timeRange": ["Use 7d, 30d, 90d, 12m or from..to."]},
    )


def account_analytics(*, account: SocialAccount, time_range: TimeRange) -> dict[str, Any]:
    """Totals (latest snapshot per post) and a daily series for one account's published posts."""
    content_analytics = apps.get_model("analytics", "ContentAnalytics")
    post_ids = list(
        PublishResult.objects.filter(social_account=account, status=PublishStatus.SUCCESS).values_list(
            "post_id", flat=True
        )
    )
    rows = (
        content_analytics.objects.filter(
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
    interactions = totals["likes"] + totals["comments"] + totals["shares"] + totals["clicks"]
    totals["engagementRate"] = round(interactions / max(totals["impressions"] or totals["views"], 1), 6)
    return totals
