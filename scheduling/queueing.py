"""Buffer-style queues: weekly slots per account; "Add to queue" takes the next free one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from content.models import ContentPost
from core.api.errors import ValidationFailed
from scheduling.models import QueueSlot, ScheduledPost, ScheduleStatus
from scheduling.selectors import queue_for_account
from scheduling.services import post_schedule
from scheduling.timeutils import local_to_utc, utc_to_local, zone
from social.models import SocialAccount

HORIZON_DAYS = 366


def queue_slots_set(*, account: SocialAccount, slots: list[tuple[int, time]]) -> list[QueueSlot]:
    """Replace the account's weekly slots."""
    clean = sorted({(int(d), t.replace(second=0, microsecond=0)) for d, t in slots})
    if any(not 0 <= d <= 6 for d, _ in clean):
        raise ValidationFailed("Weekdays run from 0 (Monday) to 6 (Sunday).", details={"slots": ["Bad weekday."]})
    with transaction.atomic():
        QueueSlot.objects.filter(social_account=account).delete()
        return QueueSlot.objects.bulk_create([QueueSlot(social_account=account, weekday=d, time=t) for d, t in clean])


def slot_instants(account: SocialAccount, *, after: datetime) -> Iterator[datetime]:
    """Upcoming slot times of the account as UTC instants, in order, computed in the team's zone."""
    slots = list(QueueSlot.objects.filter(social_account=account).order_by("weekday", "time"))
    if not slots:
        return
    tz = zone(account.team.timezone)
    local_day = utc_to_local(after, tz).date()
    for offset in range(HORIZON_DAYS):
        day = local_day + timedelta(days=offset)
        for slot in slots:
            if slot.weekday != day.weekday():
                continue
            instant = local_to_utc(datetime.combine(day, slot.time), tz)
            if instant > after:
                yield instant


def _taken(account: SocialAccount) -> set[datetime]:
    return set(
        ScheduledPost.objects.filter(
            social_account=account, status__in=[ScheduleStatus.PENDING, ScheduleStatus.PROCESSING]
        ).values_list("scheduled_at", flat=True)
    )


def queue_add(*, post: ContentPost, account: SocialAccount, now: datetime | None = None) -> ScheduledPost:
    """Schedule the post in the account's next free slot."""
    now = now or timezone.now()
    taken = _taken(account)
    for instant in slot_instants(account, after=now):
        if instant not in taken:
            outcome = post_schedule(
                post=post, accounts=[account], at=instant, tz=account.team.timezone, in_queue=True, now=now
            )
            return outcome.scheduled[0]
    raise ValidationFailed(
        "This account has no free queue slot: add posting times first.", details={"accountId": ["No queue slots."]}
    )


def _queued(account: SocialAccount) -> list[ScheduledPost]:
    return list(queue_for_account(account=account).select_for_update())


def queue_reorder(*, account: SocialAccount, ordered_ids: list[str]) -> list[ScheduledPost]:
    """Give the queue's existing slot times to its posts in the new order."""
    with transaction.atomic():
        queued = _queued(account)
        by_id = {str(row.pk): row for row in queued}
        if sorted(ordered_ids) != sorted(by_id):
            raise ValidationFailed(
                "Send every queued post of this account exactly once.", details={"scheduledPostIds": ["Mismatch."]}
            )
        return _assign(queued, [by_id[i] for i in ordered_ids])


def queue_shuffle(*, account: SocialAccount, rng: random.Random | None = None) -> list[ScheduledPost]:
    with transaction.atomic():
        queued = _queued(account)
        order = queued[:]
        (rng or random.SystemRandom()).shuffle(order)
        return _assign(queued, order)


def _assign(queued: list[ScheduledPost], order: list[ScheduledPost]) -> list[ScheduledPost]:
    times = [row.scheduled_at for row in queued]
    for row, at in zip(order, times, strict=True):
        if row.scheduled_at != at:
            row.scheduled_at = at
            row.reminder_sent_at = None
            row.save(update_fields=["scheduled_at", "reminder_sent_at", "updated_at"])
            ContentPost.objects.filter(pk=row.post_id).update(scheduled_at=at)
    return order
