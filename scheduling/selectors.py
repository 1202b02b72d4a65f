"""Scheduling reads, always within one team."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate

from core.api.errors import NotFoundError
from core.lookups import uuid_or_404
from scheduling.models import RecurringSchedule, ScheduledPost, ScheduleStatus
from teams.models import Team


def schedules_for_team(
    *,
    team: Team,
    status: str | None = None,
    platform: str | None = None,
    account_id: Any = None,
    brand_id: Any = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[ScheduledPost]:
    rows = ScheduledPost.objects.filter(post__team=team).select_related("post", "social_account")
    if status:
        rows = rows.filter(status=status.upper())
    if platform:
        rows = rows.filter(platform=platform.lower())
    if account_id:
        rows = rows.filter(social_account_id=uuid_or_404(account_id, "account"))
    if brand_id:
        rows = rows.filter(social_account__brand_id=uuid_or_404(brand_id, "brand"))
    if start:
        rows = rows.filter(scheduled_at__gte=start)
    if end:
        rows = rows.filter(scheduled_at__lt=end)
    return rows.order_by("scheduled_at")


def schedules_by_day(
    *, rows: QuerySet[ScheduledPost], tz: tzinfo, per_day: int
) -> tuple[list[ScheduledPost], dict[date, int]]:
    """At most `per_day` of `rows` per local day (earliest first), and how many each day holds.

    One query whatever the period holds: the database ranks and counts the rows within their day and
    returns only the first few of each, so a day with thousands of posts costs what the few shown
    cost. Every day with posts has its first row among them, which carries the day's total.
    """
    day = TruncDate("scheduled_at", tzinfo=tz)
    ranked = rows.annotate(
        day=day,
        rank=Window(RowNumber(), partition_by=[day], order_by=[F("scheduled_at").asc(), F("pk").asc()]),
        day_total=Window(Count("pk"), partition_by=[day]),
    ).filter(rank__lte=per_day)
    shown: list[ScheduledPost] = list(ranked.order_by("scheduled_at", "pk"))
    return shown, {row.day: row.day_total for row in shown}  # type: ignore[attr-defined]


def schedule_get(*, team: Team, scheduled_id: Any) -> ScheduledPost:
    row = (
        ScheduledPost.objects.select_related("post", "social_account")
        .filter(post__team=team, pk=uuid_or_404(scheduled_id, "schedule"))
        .first()
    )
    if row is None:
        raise NotFoundError("No such schedule.")
    return row


def queue_for_account(*, account: Any) -> QuerySet[ScheduledPost]:
    """An account's queue: its pending queued posts in slot order (the account is already team-checked)."""
    return ScheduledPost.objects.filter(social_account=account, status=ScheduleStatus.PENDING, in_queue=True).order_by(
        "scheduled_at"
    )


def series_for_team(*, team: Team) -> QuerySet[RecurringSchedule]:
    return RecurringSchedule.objects.filter(team=team).select_related("post", "social_account")


def series_get(*, team: Team, series_id: Any) -> RecurringSchedule:
    series = series_for_team(team=team).filter(pk=uuid_or_404(series_id, "series")).first()
    if series is None:
        raise NotFoundError("No such series.")
    return series
