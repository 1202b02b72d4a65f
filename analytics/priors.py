"""Global priors used when a team's own history is too thin to learn from.

Typical engagement rates (as defined in analytics.metrics) and relative lifts by hour and weekday
per platform, from published industry benchmarks (Sprout Social, Hootsuite and Buffer 2023-2024
"best time to post" studies), rounded. Weekday 0 is Monday; hours are local to the audience.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class PlatformPrior:
    rate: float
    hours: dict[int, float] = field(default_factory=dict)
    weekdays: dict[int, float] = field(default_factory=dict)
    note: str = ""

    def lift(self, weekday: int, hour: int) -> float:
        return self.hours.get(hour, 0.85 if hour < 7 or hour > 21 else 1.0) * self.weekdays.get(weekday, 1.0)


_WORKDAY = {0: 1.05, 1: 1.12, 2: 1.12, 3: 1.08, 4: 0.98, 5: 0.8, 6: 0.78}
_EVERYDAY = {0: 1.0, 1: 1.05, 2: 1.05, 3: 1.03, 4: 1.0, 5: 0.95, 6: 0.95}

PRIORS: dict[str, PlatformPrior] = {
    "linkedin": PlatformPrior(
        0.035,
        {8: 1.2, 9: 1.25, 10: 1.2, 11: 1.1, 12: 1.1, 17: 1.05},
        _WORKDAY,
        gettext_noop("weekday mornings, Tuesday to Thursday"),
    ),
    "twitter": PlatformPrior(
        0.015, {8: 1.15, 9: 1.2, 10: 1.15, 12: 1.15, 17: 1.1}, _EVERYDAY, gettext_noop("mornings and lunchtime")
    ),
    "instagram": PlatformPrior(
        0.045,
        {7: 1.05, 11: 1.15, 12: 1.2, 13: 1.15, 19: 1.2, 20: 1.15},
        _EVERYDAY,
        gettext_noop("lunchtime and early evening"),
    ),
    "facebook": PlatformPrior(
        0.02, {9: 1.15, 10: 1.15, 12: 1.1, 13: 1.1, 15: 1.05}, _WORKDAY, gettext_noop("mid-morning on weekdays")
    ),
    "tiktok": PlatformPrior(
        0.055, {12: 1.05, 17: 1.1, 19: 1.25, 20: 1.25, 21: 1.2}, _EVERYDAY, gettext_noop("evenings")
    ),
    "mastodon": PlatformPrior(
        0.03, {9: 1.15, 10: 1.15, 14: 1.1, 15: 1.1}, _WORKDAY, gettext_noop("weekday mornings (UTC-heavy)")
    ),
    "bluesky": PlatformPrior(0.03, {9: 1.15, 10: 1.15, 12: 1.1, 18: 1.1}, _EVERYDAY, gettext_noop("mornings")),
    "sandbox": PlatformPrior(0.03, {9: 1.15, 10: 1.15, 12: 1.1}, _WORKDAY, gettext_noop("weekday mornings")),
}
DEFAULT_PRIOR = PlatformPrior(0.03, {9: 1.15, 10: 1.15, 12: 1.1}, _WORKDAY, gettext_noop("weekday mornings"))


def prior_for(platform: str | None) -> PlatformPrior:
    name = (platform or "").lower()
    return PRIORS.get("twitter" if name == "x" else name, DEFAULT_PRIOR)


def score_from_rate(rate: float, typical: float) -> float:
    """0-100: 50 at the platform's typical rate, 75 at twice it, approaching 100 above that."""
    if typical <= 0:
        return 0.0
    return round(100 * (1 - 0.5 ** (max(rate, 0.0) / typical)), 1)
