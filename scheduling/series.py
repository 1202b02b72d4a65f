"""Recurring series: create, edit the whole series, materialise upcoming occurrences."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from content.models import ContentPost, PostStatus
from scheduling.models import RecurringSchedule, ScheduledPost, ScheduleStatus
from scheduling.recurrence import occurrences_between, parse_rule
from scheduling.timeutils import zone
from social.models import SocialAccount


def _horizon() -> timedelta:
    return timedelta(days=settings.SCHEDULING_RECURRENCE_HORIZON_DAYS)


def recurring_create(
    *, post: ContentPost, account: SocialAccount, rrule: str, start_local: datetime, tz: str, actor: User | None
) -> RecurringSchedule:
    zone(tz)
    parse_rule(rrule, start_local)
    series = RecurringSchedule.objects.create(
        team=post.team,
        post=post,
        social_account=account,
        rrule=rrule.strip().removeprefix("RRULE:"),
        start_date=start_local.date(),
        start_time=start_local.time().replace(microsecond=0),
        timezone=tz,
        created_by=actor,
    )
    recurring_materialize(series=series)
    return series


def recurring_update(
    *, series: RecurringSchedule, rrule: str | None = None, start_local: datetime | None = None, tz: str | None = None
) -> RecurringSchedule:
    """Edit the series: future occurrences that were not edited on their own are rebuilt."""
    new_rule = (rrule or series.rrule).strip().removeprefix("RRULE:")
    new_start = (start_local or series.start_local).replace(tzinfo=None)
    new_tz = tz or series.timezone
    zone(new_tz)
    parse_rule(new_rule, new_start)
    with transaction.atomic():
        stale = ScheduledPost.objects.filter(recurrence=series, status=ScheduleStatus.PENDING, is_exception=False)
        ContentPost.objects.filter(pk__in=stale.values("post_id")).delete()  # the occurrence copies
        series.rrule, series.timezone = new_rule, new_tz
        series.start_date, series.start_time = new_start.date(), new_start.time().replace(microsecond=0)
        series.materialized_until = None
        series.save(update_fields=["rrule", "start_date", "start_time", "timezone", "materialized_until", "updated_at"])
    recurring_materialize(series=series)
    return series


def recurring_stop(*, series: RecurringSchedule) -> None:
    with transaction.atomic():
        stale = ScheduledPost.objects.filter(recurrence=series, status=ScheduleStatus.PENDING, is_exception=False)
        ContentPost.objects.filter(pk__in=stale.values("post_id")).delete()
        series.is_active = False
        series.save(update_fields=["is_active", "updated_at"])


def recurring_materialize(*, series: RecurringSchedule, now: datetime | None = None) -> int:
    """Create occurrences up to the horizon. Each is its own post copy, so each delivers once."""
    if not series.is_active:
        return 0
    now = now or timezone.now()
    until = now + _horizon()
    start = max(series.materialized_until or (now - timedelta(seconds=1)), now - timedelta(seconds=1))
    tz = zone(series.timezone)
    template = series.post
    created = 0
    with transaction.atomic():
        existing = set(ScheduledPost.objects.filter(recurrence=series).values_list("scheduled_at", flat=True))
        for instant in occurrences_between(series.rrule, series.start_local, tz, start, until):
            if instant in existing:
                continue
            copy = ContentPost.objects.create(
                team=template.team,
                author=template.author,
                title=template.title,
                content=template.content,
                hashtags=template.hashtags,
                platform=series.social_account.platform,
                tone=template.tone,
                audience=template.audience,
                status=PostStatus.SCHEDULED,
                scheduled_at=instant,
                metadata={
                    **(template.metadata or {}),
                    "recurrenceOf": str(series.pk),
                    "sourcePostId": str(template.pk),
                },
            )
            ScheduledPost.objects.create(
                post=copy,
                social_account=series.social_account,
                platform=series.social_account.platform,
                scheduled_at=instant,
                timezone=series.timezone,
                recurrence=series,
            )
            created += 1
        RecurringSchedule.objects.filter(pk=series.pk).update(materialized_until=until)
    series.materialized_until = until
    return created


def recurrences_materialize_all(*, now: datetime | None = None) -> int:
    return sum(
        recurring_materialize(series=s, now=now)
        for s in RecurringSchedule.objects.filter(is_active=True).select_related("post", "social_account")
    )
