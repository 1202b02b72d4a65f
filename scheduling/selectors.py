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
    rows = ScheduledPost.objects.filter(team=team).select_related("post", "social_account")
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


# What a calendar chip shows of a schedule, its post and its account (the month and week grids).
CHIP_FIELDS = (
    "id",
    "scheduled_at",
    "status",
    "platform",
    "recurrence_id",
    "last_error",
    "post__id",
    "post__title",
    "post__content",
    "social_account__id",
    "social_account__account_name",
)


def schedules_by_day(
    *, rows: QuerySet[ScheduledPost], tz: tzinfo, per_day: int
) -> tuple[list[ScheduledPost], dict[date, int]]:
    """At most `per_day` of `rows` per local day (earliest first), and how many each day holds.

    The schedules alone are ranked and counted within their day (the team's index on its schedules'
    times), and only the few shown are then read with their post and account: ranking the joined rows
    made the database join every row of a busy month, and read every post of the team to do it. Every
    day with posts has its first row among those shown, which carries the day's total.
    """
    day = TruncDate("scheduled_at", tzinfo=tz)
    ranked = (
        rows.select_related(None)
        .order_by()
        .annotate(
            day=day,
            rank=Window(RowNumber(), partition_by=[day], order_by=[F("scheduled_at").asc(), F("pk").asc()]),
            day_total=Window(Count("pk"), partition_by=[day]),
        )
        .filter(rank__lte=per_day)
        .values_list("pk", "day", "day_total")
    )
    ids, counts = [], {}
    for pk, when, total in ranked:
        ids.append(pk)
        counts[when] = total
    shown = list(rows.filter(pk__in=ids).only(*CHIP_FIELDS).order_by("scheduled_at", "pk")) if ids else []
    return shown, counts


def schedule_get(*, team: Team, scheduled_id: Any) -> ScheduledPost:
    row = (
        ScheduledPost.objects.select_related("post", "social_account")
        .filter(team=team, pk=uuid_or_404(scheduled_id, "schedule"))
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
