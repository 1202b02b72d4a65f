"""Best times to post, for the scheduling issue: learned from the team's posts, shrunk to platform priors."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from analytics.metrics import engagement_rate
from analytics.models import DailyMetricRollup
from analytics.priors import prior_for, score_from_rate

# How many posts a slot needs before its own average weighs as much as the prior.
PRIOR_WEIGHT = 5
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PostingTime(NamedTuple):
    weekday: int  # 0 = Monday, in the team's time zone
    hour: int  # 0-23, in the team's time zone
    score: float  # 0-100, 50 = the platform's typical engagement
    confidence: float  # 0-1: how much of the score comes from the team's own posts
    reason: str


def post_outcomes(*, team: Any, platform: str | None = None, account: Any = None) -> list[tuple[Any, str, float]]:
    """(published_at, platform, engagement rate) of each published post, from its latest rollup. One query."""
    qs = DailyMetricRollup.objects.filter(team=team, post__published_at__isnull=False)
    if platform:
        qs = qs.filter(platform=platform)
    if account is not None:
        qs = qs.filter(post__publish_results__social_account=account)
    rows = (
        qs.annotate(rank=Window(RowNumber(), partition_by=[F("post_id"), F("platform")], order_by=F("date").desc()))
        .filter(rank=1)
        .values_list("post__published_at", "platform", "likes", "comments", "shares", "clicks", "impressions", "views")
    )
    return [
        (published_at, plat, engagement_rate(likes=li, comments=co, shares=sh, clicks=cl, impressions=im, views=vi))
        for published_at, plat, li, co, sh, cl, im, vi in rows
    ]


def best_posting_times(
    *, team: Any = None, account: Any = None, platform: str | None = None, limit: int = 5
) -> list[PostingTime]:
    """The `limit` best (weekday, hour) slots in the team's time zone, best first.

    Pass a team, or a social account (its team and platform are used, and only posts it published).
    Each slot's own results are shrunk towards an expectation: the team's engagement model (its typical
    post at that hour and weekday) when it beat the mean predictor on held-out posts, else the
    platform's published benchmarks.
    """
    if account is not None:
        team = account.team
        platform = platform or account.platform
    if team is None:
        raise ValueError("best_posting_times needs a team or an account")
    from analytics.predictions import slot_rates

    prior = prior_for(platform)
    zone = ZoneInfo(getattr(team, "timezone", None) or "UTC")
    # A team model that beat the average on held-out posts replaces the platform prior as the
    # expectation each slot's own results are shrunk towards.
    learned = slot_rates(team=team, platform=platform) if account is None else None
    buckets: dict[tuple[int, int], list[float]] = defaultdict(list)
    for published_at, _platform, rate in post_outcomes(team=team, platform=platform, account=account):
        local = published_at.astimezone(zone)
        buckets[(local.weekday(), local.hour)].append(rate)

    slots: list[PostingTime] = []
    for weekday in range(7):
        for hour in range(24):
            if learned is not None:
                expected = learned[0][(weekday, hour)]
                source = f"your engagement model expects {expected:.1%} here"
            else:
                expected = prior.rate * prior.lift(weekday, hour)
                source = f"platform default: {prior.note or 'typical audience'}"
            rates = buckets.get((weekday, hour), [])
            n = len(rates)
            blended = (sum(rates) + PRIOR_WEIGHT * expected) / (n + PRIOR_WEIGHT)
            if n:
                reason = (
                    f"{n} of your posts at {DAYS[weekday]} {hour:02d}:00 averaged {sum(rates) / n:.1%} engagement "
                    f"(typical for {platform or 'all platforms'}: {prior.rate:.1%})"
                    + (f"; {source}." if learned is not None else ".")
                )
            else:
                reason = f"No posts of yours at this time yet; {source}."
            slots.append(
                PostingTime(
                    weekday=weekday,
                    hour=hour,
                    score=score_from_rate(blended, prior.rate),
                    confidence=round(n / (n + PRIOR_WEIGHT), 2),
                    reason=reason,
                )
            )
    slots.sort(key=lambda slot: (-slot.score, -slot.confidence, slot.weekday, slot.hour))
    return slots[: max(1, limit)]
