"""Metric definitions shared by rollups, dashboards, exports, models and A/B tests.

Engagement rate is computed one way everywhere: interactions (likes + comments + shares + clicks)
divided by the audience that saw the post, max(impressions, views, 1), as a fraction (0.05 = 5 %).
Platforms report either impressions or views (video platforms), so the larger of the two is the
denominator; the 1 keeps a post nobody has seen at 0 instead of a division by zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.api.errors import ValidationFailed

METRICS: tuple[str, ...] = ("views", "likes", "shares", "comments", "clicks", "reach", "impressions")
INTERACTIONS: tuple[str, ...] = ("likes", "comments", "shares", "clicks")
MAX_RANGE_DAYS = 731
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def engagement_rate(
    *,
    likes: float = 0,
    comments: float = 0,
    shares: float = 0,
    clicks: float = 0,
    impressions: float = 0,
    views: float = 0,
) -> float:
    """(likes + comments + shares + clicks) / max(impressions, views, 1), as a fraction."""
    interactions = (likes or 0) + (comments or 0) + (shares or 0) + (clicks or 0)
    return interactions / max(impressions or 0, views or 0, 1)


def platform_label(name: str | None) -> str:
    """A platform's display name ("LinkedIn", "TikTok"); "" for none."""
    from social.models import Platform

    if not name:
        return ""
    return str(dict(Platform.choices).get(name.lower(), name.capitalize()))


def engagements(values: dict[str, float]) -> float:
    return sum(values.get(name) or 0 for name in INTERACTIONS)


def with_rate(values: Mapping[str, Any]) -> dict[str, float]:
    """The metric dict with every metric present (0 when missing) and its `engagement_rate`."""
    out: dict[str, float] = {name: int(values.get(name) or 0) for name in METRICS}
    out["engagement_rate"] = engagement_rate(**{k: out[k] for k in (*INTERACTIONS, "impressions", "views")})
    return out


@dataclass(frozen=True)
class TimeRange:
    """An inclusive range of UTC dates and the label the client asked for."""

    label: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> TimeRange:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return TimeRange(label=f"previous:{self.label}", start=end - timedelta(days=self.days - 1), end=end)

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days}


def parse_time_range(value: str | None, *, today: date | None = None, field: str = "timeRange") -> TimeRange:
    """`7d`, `30d`, `90d`, `12m` (ending today, UTC) or `YYYY-MM-DD..YYYY-MM-DD`; default 30d."""
    today = today or timezone.now().date()
    label = (value or "30d").strip()
    fixed = {"7d": 7, "30d": 30, "90d": 90}
    if label in fixed:
        return TimeRange(label=label, start=today - timedelta(days=fixed[label] - 1), end=today)
    if label == "12m":
        return TimeRange(label=label, start=today - relativedelta(months=12) + timedelta(days=1), end=today)
    match = _RANGE_RE.match(label)
    if match:
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError:
            raise ValidationFailed("Invalid date in time range.", details={field: ["Not a valid date."]}) from None
        if start > end:
            raise ValidationFailed(
                "The range starts after it ends.", details={field: ["'from' must not be after 'to'."]}
            )
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationFailed("The range is too long.", details={field: [f"At most {MAX_RANGE_DAYS} days."]})
        return TimeRange(label=label, start=start, end=end)
    raise ValidationFailed("Unknown time range.", details={field: ["Use 7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD."]})


def percent_change(current: float, previous: float) -> float | None:
    """Change in percent against the previous period; None when there is nothing to compare with."""
    if not previous:
        return None
    return round((current - previous) / previous * 100, 2)
