"""Best times to post, for the scheduling issue.

Three sources, best first, and each slot says which it came from (`source`):
- "model": the team's engagement model, once it beat the mean predictor on held-out posts;
- "own": the team's own results, once it has MIN_OWN_POSTS published posts with metrics. Each
  slot pools the posts published near it (a Gaussian over the hour, weekdays weighing more with
  weekdays), and its confidence grows with how many posts back it and shrinks with their spread;
- "benchmark": published platform benchmarks (analytics.priors), before that.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from analytics.metrics import engagement_rate
from analytics.models import DailyMetricRollup
from analytics.priors import prior_for, score_from_rate

# How many posts a slot needs before its own average weighs as much as the prior.
PRIOR_WEIGHT = 5
# Published posts with metrics a team needs before its own results replace the benchmarks.
MIN_OWN_POSTS = 5
HOUR_SPREAD = 1.5  # hours: the standard deviation of the pooling kernel
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PostingTime(NamedTuple):
    weekday: int  # 0 = Monday, in the team's time zone
    hour: int  # 0-23, in the team's time zone
    score: float  # 0-100, 50 = the platform's typical engagement
    confidence: float  # 0-1: how much of the score comes from the team's own posts
    reason: str
    source: str = "benchmark"  # "model", "own" or "benchmark"


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
    outcomes = post_outcomes(team=team, platform=platform, account=account)
    if learned is None and len(outcomes) >= MIN_OWN_POSTS:
        return _from_own_results(outcomes, zone=zone, typical=prior.rate, limit=limit)
    buckets: dict[tuple[int, int], list[float]] = defaultdict(list)
    for published_at, _platform, rate in outcomes:
        local = published_at.astimezone(zone)
        buckets[(local.weekday(), local.hour)].append(rate)

    slots: list[PostingTime] = []
    for weekday in range(7):
        for hour in range(24):
            if learned is not None:
                expected = learned[0][(weekday, hour)]
                source = _("your engagement model expects %(rate)s here") % {"rate": f"{expected:.1%}"}
            else:
                expected = prior.rate * prior.lift(weekday, hour)
                source = _("platform default: %(note)s") % {"note": _(prior.note or "typical audience")}
            rates = buckets.get((weekday, hour), [])
            n = len(rates)
            blended = (sum(rates) + PRIOR_WEIGHT * expected) / (n + PRIOR_WEIGHT)
            if n:
                values = {
                    "count": n,
                    "day": WEEKDAYS[weekday],
                    "hour": f"{hour:02d}:00",
                    "rate": f"{sum(rates) / n:.1%}",
                    "platform": platform or _("all platforms"),
                    "typical": f"{prior.rate:.1%}",
                    "source": source,
                }
                reason = (
                    _(
                        "%(count)s of your posts at %(day)s %(hour)s averaged %(rate)s engagement "
                        "(typical for %(platform)s: %(typical)s); %(source)s."
                    )
                    if learned is not None
                    else _(
                        "%(count)s of your posts at %(day)s %(hour)s averaged %(rate)s engagement "
                        "(typical for %(platform)s: %(typical)s)."
                    )
                ) % values
            else:
                reason = _("No posts of yours at this time yet; %(source)s.") % {"source": source}
            slots.append(
                PostingTime(
                    weekday=weekday,
                    hour=hour,
                    score=score_from_rate(blended, prior.rate),
                    confidence=round(n / (n + PRIOR_WEIGHT), 2),
                    reason=reason,
                    source="model" if learned is not None else "benchmark",
                )
            )
    slots.sort(key=lambda slot: (-slot.score, -slot.confidence, slot.weekday, slot.hour))
    return slots[: max(1, limit)]


def _slot_weight(weekday: int, hour: int, other_weekday: int, other_hour: int) -> float:
    distance = min(abs(hour - other_hour), 24 - abs(hour - other_hour))
    if weekday == other_weekday:
        day = 1.0
    elif (weekday < 5) == (other_weekday < 5):
        day = 0.5
    else:
        day = 0.2
    return day * math.exp(-(distance**2) / (2 * HOUR_SPREAD**2))


def _from_own_results(
    outcomes: list[tuple[Any, str, float]], *, zone: ZoneInfo, typical: float, limit: int
) -> list[PostingTime]:
    """Slots scored from the team's own posts only (pooled by the kernel, shrunk to the team's own mean)."""
    posts = [(at.astimezone(zone), rate) for at, _platform, rate in outcomes]
    overall = sum(rate for _, rate in posts) / len(posts)
    slots: list[PostingTime] = []
    for weekday in range(7):
        for hour in range(24):
            weights = [(_slot_weight(weekday, hour, at.weekday(), at.hour), rate) for at, rate in posts]
            backing = sum(w for w, _ in weights)
            mean = sum(w * r for w, r in weights) / backing if backing else overall
            variance = sum(w * (r - mean) ** 2 for w, r in weights) / backing if backing else 0.0
            spread = math.sqrt(variance) / mean if mean > 0 else 1.0  # coefficient of variation
            estimate = (backing * mean + overall) / (backing + 1)
            confidence = backing / (backing + PRIOR_WEIGHT) / (1 + spread)
            nearby = sum(1 for w, _ in weights if w >= 0.25)
            reason = _(
                "From your own results: %(n)s of your posts were published near %(day)s %(hour)02d:00 "
                "and averaged %(rate).1f%% engagement (your overall average: %(overall).1f%%)."
            ) % {
                "n": nearby,
                "day": _(DAYS[weekday]),
                "hour": hour,
                "rate": mean * 100,
                "overall": overall * 100,
            }
            slots.append(
                PostingTime(
                    weekday=weekday,
                    hour=hour,
                    score=score_from_rate(estimate, typical),
                    confidence=round(min(confidence, 1.0), 2),
                    reason=reason,
                    source="own",
                )
            )
    slots.sort(key=lambda slot: (-slot.score, -slot.confidence, slot.weekday, slot.hour))
    return slots[: max(1, limit)]
