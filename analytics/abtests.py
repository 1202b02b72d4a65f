"""A/B test evaluation: a two-proportion z-test on engagements per impression.

Each variant is a post; its impressions are max(impressions, views) of its latest snapshot and its
engagements the interactions (likes + comments + shares + clicks) capped at the impressions. The best
variant wins only when it beats every other variant with a two-sided p-value below the test's
significance level after a Bonferroni correction for the number of comparisons.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.formats import number_format
from django.utils.translation import gettext

from analytics.models import ABTest, ABVariant, DailyMetricRollup

Z_POWER_80 = 0.841621


def two_proportion_z_test(successes_a: int, trials_a: int, successes_b: int, trials_b: int) -> tuple[float, float]:
    """(z, two-sided p) for H0: the two rates are equal. (0, 1) when a side has no trials."""
    if trials_a <= 0 or trials_b <= 0:
        return 0.0, 1.0
    p_a, p_b = successes_a / trials_a, successes_b / trials_b
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    if se == 0:
        return 0.0, 1.0
    z = (p_a - p_b) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def _z_for(p_two_sided: float) -> float:
    """Inverse of the two-sided normal tail by bisection (no SciPy needed)."""
    low, high = 0.0, 10.0
    for _ in range(80):
        mid = (low + high) / 2
        if math.erfc(mid / math.sqrt(2)) > p_two_sided:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def impressions_needed(p_a: float, p_b: float, alpha: float) -> int | None:
    """Impressions per variant to detect p_a vs p_b with 80 % power at `alpha` (two-sided)."""
    if p_a == p_b:
        return None
    z = _z_for(alpha) + Z_POWER_80
    return math.ceil(z**2 * (p_a * (1 - p_a) + p_b * (1 - p_b)) / (p_a - p_b) ** 2)


def _latest_per_post(post_ids: list[Any]) -> dict[tuple[Any, str], dict[str, int]]:
    """{(post, platform): {engagements, impressions}} from each post's latest rollup. One query."""
    rows = (
        DailyMetricRollup.objects.filter(post_id__in=post_ids)
        .annotate(rank=Window(RowNumber(), partition_by=[F("post_id"), F("platform")], order_by=F("date").desc()))
        .filter(rank=1)
        .values_list("post_id", "platform", "likes", "comments", "shares", "clicks", "impressions", "views")
    )
    out = {}
    for post_id, platform, li, co, sh, cl, im, vi in rows:
        trials = max(im, vi)
        out[(post_id, platform)] = {"engagements": min(li + co + sh + cl, trials), "impressions": trials}
    return out


def abtest_evaluate(*, test: ABTest) -> dict[str, Any]:
    return abtests_evaluate(tests=[test])[0]


def abtests_evaluate(*, tests: list[ABTest]) -> list[dict[str, Any]]:
    """Evaluate several tests in two queries (their variants with posts, then every variant's latest metrics)."""
    variants_of: dict[Any, list[ABVariant]] = {test.pk: [] for test in tests}
    for variant in ABVariant.objects.filter(test__in=tests).select_related("post").order_by("label"):
        variants_of[variant.test_id].append(variant)
    totals = _latest_per_post([v.post_id for variants in variants_of.values() for v in variants])
    results = [_evaluate(test, variants_of[test.pk], totals) for test in tests]
    _suggest_slots_for_unpublished(tests, results)
    return results


def _suggest_slots_for_unpublished(tests: list[ABTest], results: list[dict[str, Any]]) -> None:
    """Variants not published yet get a slot each: the team's best hour of the week, a week apart, so the
    variants go out in comparable slots. One best-times lookup per platform that needs it."""
    from django.utils import timezone

    now = timezone.now()
    firsts: dict[str, list[str]] = {}
    for test, result in zip(tests, results, strict=True):
        waiting = [row for row in result["variants"] if row["published_at"] is None]
        for row in result["variants"]:
            row["suggested_at"] = None
        if not waiting:
            continue
        if test.platform not in firsts:
            firsts[test.platform] = suggested_slots(test=test, count=5, start=now)
        for row, slot in zip(waiting, firsts[test.platform], strict=False):
            row["suggested_at"] = slot


def _evaluate(test: ABTest, variants: list[ABVariant], totals: dict[tuple[Any, str], dict[str, int]]) -> dict:
    alpha = test.significance_level
    rows: list[dict[str, Any]] = []
    for variant in variants:
        t = totals.get((variant.post_id, test.platform), {"engagements": 0, "impressions": 0})
        rate = t["engagements"] / t["impressions"] if t["impressions"] else 0.0
        rows.append(
            {
                "label": variant.label,
                "post_id": str(variant.post_id),
                "title": variant.post.title or variant.post.content[:60],
                "published_at": variant.post.published_at.isoformat() if variant.post.published_at else None,
                "engagements": t["engagements"],
                "impressions": t["impressions"],
                "engagement_rate": round(rate, 6),
            }
        )
    ranked = sorted(rows, key=lambda r: r["engagement_rate"], reverse=True)
    comparisons = max(len(rows) - 1, 1)
    winner, p_value, z = None, 1.0, 0.0
    if len(ranked) >= 2 and ranked[0]["impressions"]:
        best, worst_p = ranked[0], 0.0
        for other in ranked[1:]:
            z_other, p = two_proportion_z_test(
                best["engagements"], best["impressions"], other["engagements"], other["impressions"]
            )
            if p >= worst_p:
                worst_p, z = p, z_other
        p_value = min(1.0, worst_p * comparisons)
        if p_value < alpha and best["engagement_rate"] > ranked[1]["engagement_rate"]:
            winner = best["label"]
    return {
        "id": str(test.pk),
        "name": test.name,
        "platform": test.platform,
        "status": test.status,
        "test": gettext("two-proportion z-test (engagements / impressions), Bonferroni-corrected"),
        "significance_level": alpha,
        "z": round(z, 4),
        "p_value": round(p_value, 6),
        "winner": winner,
        "variants": rows,
        "comparable_slots": _comparable(test, variants),
        "recommendation": _recommendation(ranked, winner, p_value, alpha),
    }


def _comparable(test: ABTest, variants: list) -> bool | None:
    """Whether every variant went out at the same hour of the week (team time zone), within the tolerance."""
    times = [v.post.published_at for v in variants if v.post.published_at]
    if len(times) < 2:
        return None
    zone = ZoneInfo(test.team.timezone or "UTC")
    hours = [(t.astimezone(zone).weekday() * 24 + t.astimezone(zone).hour) for t in times]
    spread = min((max(hours) - min(hours)), 168 - (max(hours) - min(hours)))
    return spread <= settings.ANALYTICS_AB_SLOT_TOLERANCE_HOURS


def _recommendation(ranked: list[dict], winner: str | None, p_value: float, alpha: float) -> str:
    if len(ranked) < 2 or not ranked[0]["impressions"]:
        return gettext("No metrics yet: publish every variant in comparable slots and check back.")
    best, runner = ranked[0], ranked[1]
    if winner:
        return gettext("Use variant %(winner)s: %(best)s vs %(runner)s engagement (p = %(p)s < %(alpha)s).") % {
            "winner": winner,
            "best": f"{best['engagement_rate']:.2%}",
            "runner": f"{runner['engagement_rate']:.2%}",
            "p": f"{p_value:.4f}",
            "alpha": alpha,
        }
    needed = impressions_needed(best["engagement_rate"], runner["engagement_rate"], alpha)
    verdict = gettext("No significant difference yet (p = %(p)s); keep the test running.") % {"p": f"{p_value:.3f}"}
    if not needed:
        return verdict
    more = gettext("About %(count)s impressions per variant would detect this difference.") % {
        "count": number_format(needed, force_grouping=True)
    }
    return f"{verdict} {more}"


def suggested_slots(*, test: ABTest, count: int, start: Any) -> list[str]:
    """One slot per variant at the team's best hour of the week, a week apart, so the slots compare."""
    from analytics.posting_times import best_posting_times

    best = best_posting_times(team=test.team, platform=test.platform, limit=1)[0]
    zone = ZoneInfo(test.team.timezone or "UTC")
    local = start.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    days_ahead = (best.weekday - local.weekday()) % 7
    first = (local + timedelta(days=days_ahead)).replace(hour=best.hour)
    if first <= local:
        first += timedelta(days=7)
    return [(first + timedelta(weeks=i)).isoformat() for i in range(count)]
