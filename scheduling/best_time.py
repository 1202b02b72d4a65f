"""Best time to post: the team's own engagement by weekday and hour, platform norms when thin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max

from analytics.models import ContentAnalytics
from scheduling.timeutils import zone
from teams.models import Team

# Widely reported engagement peaks (local time), used until the team has its own history.
PLATFORM_DEFAULTS: dict[str, list[tuple[int, int]]] = {
    "linkedin": [(1, 9), (2, 10), (3, 9), (1, 12), (2, 12)],
    "twitter": [(2, 9), (3, 12), (1, 9), (4, 9), (0, 12)],
    "instagram": [(2, 11), (4, 11), (0, 12), (3, 19), (1, 18)],
    "facebook": [(2, 9), (3, 13), (1, 10), (4, 11), (0, 9)],
    "tiktok": [(1, 19), (3, 20), (4, 17), (5, 11), (6, 19)],
}
FALLBACK = [(1, 9), (2, 12), (3, 9), (0, 12), (4, 10)]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FULL_CONFIDENCE_POSTS = 30


@dataclass(frozen=True)
class BestTime:
    weekday: int
    hour: int
    score: float
    confidence: float
    reason: str


def best_posting_times(*, team: Team, platform: str = "", limit: int = 5) -> list[BestTime]:
    tz = zone(team.timezone)
    rows = ContentAnalytics.objects.filter(post__team=team, post__published_at__isnull=False)
    if platform:
        rows = rows.filter(platform=platform)
    # Each post's latest snapshot: snapshots are cumulative counters.
    latest = rows.values("post_id", "post__published_at").annotate(
        likes=Max("likes"),
        comments=Max("comments"),
        shares=Max("shares"),
        clicks=Max("clicks"),
        impressions=Max("impressions"),
        views=Max("views"),
    )
    buckets: dict[tuple[int, int], list[float]] = defaultdict(list)
    for row in latest[:5000]:
        published = row["post__published_at"]
        if published is None:
            continue
        local = published.astimezone(tz)
        engaged = row["likes"] + row["comments"] + row["shares"] + row["clicks"]
        seen = max(row["impressions"], row["views"], 1)
        buckets[(local.weekday(), local.hour)].append(engaged / seen)
    posts = sum(len(v) for v in buckets.values())
    if posts < 5:
        defaults = PLATFORM_DEFAULTS.get(platform, FALLBACK)[:limit]
        return [
            BestTime(
                d,
                h,
                round(1 - i * 0.1, 2),
                0.2,
                f"{WEEKDAYS[d]} {h:02d}:00 is a common peak on "
                f"{platform or 'social media'}; post more to learn your audience's own times.",
            )
            for i, (d, h) in enumerate(defaults)
        ]
    overall = sum(sum(v) for v in buckets.values()) / posts
    ranked = sorted(buckets.items(), key=lambda kv: sum(kv[1]) / len(kv[1]), reverse=True)[:limit]
    results = []
    for (weekday, hour), rates in ranked:
        mean = sum(rates) / len(rates)
        lift = (mean / overall - 1) * 100 if overall else 0.0
        confidence = round(min(1.0, len(rates) / FULL_CONFIDENCE_POSTS) * min(1.0, posts / FULL_CONFIDENCE_POSTS), 2)
        results.append(
            BestTime(
                weekday,
                hour,
                round(mean, 4),
                confidence,
                f"{len(rates)} posts at {WEEKDAYS[weekday]} {hour:02d}:00 averaged {lift:+.0f}% engagement "
                "against your overall rate.",
            )
        )
    return results
