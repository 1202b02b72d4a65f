"""Team analytics: output (posts written, published) and performance (engagement) per member and
per brand over a date range. A fixed handful of queries whatever the team's size.

A post counts for a brand when it was published to one of the brand's social accounts. Engagements
and the rate follow analytics.metrics (the rate shown as a percent).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from analytics.metrics import INTERACTIONS, engagement_rate
from analytics.models import ContentAnalytics
from content.models import Brand, ContentPost
from core.api.errors import ValidationFailed
from social.models import PublishResult
from teams.models import Membership, Team

MAX_RANGE_DAYS = 366


@dataclass
class Row:
    key: str
    label: str
    posts_created: int = 0
    posts_published: int = 0
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    clicks: int = 0
    impressions: int = 0

    @property
    def engagements(self) -> int:
        return sum(getattr(self, name) for name in INTERACTIONS)

    @property
    def engagement_rate(self) -> float:
        """A percent: 5.0 is 5 %."""
        rate = engagement_rate(
            likes=self.likes, comments=self.comments, shares=self.shares, clicks=self.clicks,
            impressions=self.impressions, views=self.views,
        )  # fmt: skip
        return round(100 * rate, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "name": self.label,
            "posts_created": self.posts_created,
            "posts_published": self.posts_published,
            "views": self.views,
            "likes": self.likes,
            "comments": self.comments,
            "shares": self.shares,
            "engagements": self.engagements,
            "engagement_rate": self.engagement_rate,
        }


@dataclass
class TeamAnalytics:
    start: date
    end: date
    members: list[Row] = field(default_factory=list)
    brands: list[Row] = field(default_factory=list)
    totals: Row = field(default_factory=lambda: Row("total", "Team"))


def parse_range(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> tuple[date, date]:
    """`from`/`to` as YYYY-MM-DD (inclusive); the last 30 days when absent. Bad input is a 400."""
    today = today or timezone.localdate()
    try:
        end = date.fromisoformat(raw_to) if raw_to else today
        start = date.fromisoformat(raw_from) if raw_from else end - timedelta(days=29)
    except ValueError as exc:
        raise ValidationFailed("Dates are YYYY-MM-DD.", details={"from": ["Use YYYY-MM-DD."]}) from exc
    if start > end:
        raise ValidationFailed("The range starts after it ends.", details={"from": ["Must not be after 'to'."]})
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(
            f"The range is at most {MAX_RANGE_DAYS} days.", details={"from": [f"At most {MAX_RANGE_DAYS} days."]}
        )
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)


def team_analytics(*, team: Team, start: date, end: date) -> TeamAnalytics:
    since, until = _bounds(start, end)

    members = {
        str(m.user_id): Row(str(m.user_id), m.user.get_full_name() or m.user.email)
        for m in Membership.objects.filter(team=team).select_related("user").order_by("user__email")
    }
    brands = {str(b.pk): Row(str(b.pk), b.name) for b in Brand.objects.filter(team=team).order_by("name")}
    totals = Row("total", team.name)

    created = (
        ContentPost.objects.filter(team=team, created_at__gte=since, created_at__lt=until)
        .values_list("author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for author_id, n in created:
        totals.posts_created += n
        if str(author_id) in members:
            members[str(author_id)].posts_created += n

    published = list(
        ContentPost.objects.filter(team=team, published_at__gte=since, published_at__lt=until).values_list(
            "pk", "author_id"
        )
    )
    author_of = {str(pk): str(author) for pk, author in published}
    for author in author_of.values():
        totals.posts_published += 1
        if author in members:
            members[author].posts_published += 1

    brands_of: dict[str, set[str]] = defaultdict(set)
    for result_post_id, result_brand_id in (
        PublishResult.objects.filter(post__team=team, post_id__in=list(author_of), social_account__brand__isnull=False)
        .values_list("post_id", "social_account__brand_id")
        .distinct()
    ):
        brands_of[str(result_post_id)].add(str(result_brand_id))
    for post_brands in brands_of.values():
        for brand_id in post_brands:
            if brand_id in brands:
                brands[brand_id].posts_published += 1

    # Snapshots are cumulative: the highest value per post and platform is the latest count.
    metrics = (
        ContentAnalytics.objects.filter(post__team=team, post_id__in=list(author_of))
        .values("post_id", "platform")
        .annotate(
            views=Max("views"),
            impressions=Max("impressions"),
            likes=Max("likes"),
            comments=Max("comments"),
            shares=Max("shares"),
            clicks=Max("clicks"),
        )
        .order_by()
    )
    for metric in metrics:
        metric_post = str(metric["post_id"])
        rows = [totals]
        if author_of.get(metric_post) in members:
            rows.append(members[author_of[metric_post]])
        rows += [brands[b] for b in brands_of.get(metric_post, ()) if b in brands]
        for row in rows:
            row.views += metric["views"]
            row.likes += metric["likes"]
            row.comments += metric["comments"]
            row.shares += metric["shares"]
            row.clicks += metric["clicks"]
            row.impressions += metric["impressions"]

    return TeamAnalytics(
        start=start,
        end=end,
        members=sorted(members.values(), key=lambda r: (-r.posts_published, -r.engagements, r.label)),
        brands=sorted(brands.values(), key=lambda r: (-r.posts_published, -r.engagements, r.label)),
        totals=totals,
    )
