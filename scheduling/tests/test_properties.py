"""Properties 21-23 and 47 of the spec, as hypothesis tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.queueing import queue_add, queue_slots_set
from scheduling.recurrence import occurrences_between
from scheduling.services import dispatch_due_posts, post_schedule, reminders_send
from scheduling.timeutils import local_to_utc, utc_to_local
from social.tests.factories import SocialAccountFactory
from teams.models import Notification

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Pacific/Auckland",
    "UTC",
]


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    return utc_to_local(local_to_utc(local, tz), tz) == local


# Property 22: Automated Publishing with Timezone Support (recurrence keeps wall-clock time across DST)
@settings(max_examples=120, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31)),
    rule=st.sampled_from(["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYMONTHDAY=15"]),
)
def test_recurrence_keeps_the_local_time_in_every_zone(zone_name, start, rule):
    tz = ZoneInfo(zone_name)
    start = start.replace(second=0, microsecond=0)
    after = local_to_utc(start, tz) - timedelta(seconds=1)
    instants = list(occurrences_between(rule, start, tz, after, after + timedelta(days=400)))

    assert instants == sorted(instants) and len(instants) == len(set(instants))
    for instant in instants:
        local = utc_to_local(instant, tz)
        assert instant.tzinfo is not None
        if _exists(local.replace(hour=start.hour, minute=start.minute), tz):
            assert (local.hour, local.minute) == (start.hour, start.minute)
        else:  # that wall-clock time does not exist that day (spring forward): moved by the gap
            assert local > local.replace(hour=start.hour, minute=start.minute)


# Property 22: a schedule round-trips through its time zone
@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES), local=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2035, 1, 1))
)
def test_wall_clock_to_utc_and_back(zone_name, local):
    tz = ZoneInfo(zone_name)
    instant = local_to_utc(local, tz)
    if _exists(local, tz):
        assert utc_to_local(instant, tz) == local
    assert instant.utcoffset() == timedelta(0)


class QueueAndNotificationProperties(TestCase):
    # Property 21: Content Scheduling and Queue Management
    @settings(max_examples=15, deadline=None)
    @given(
        zone_name=st.sampled_from(ZONES),
        slots=st.sets(
            st.tuples(st.integers(0, 6), st.sampled_from([time(8), time(12, 30), time(18, 45)])), min_size=1, max_size=6
        ),
        n=st.integers(min_value=1, max_value=8),
    )
    def test_adding_to_a_queue_fills_distinct_future_slots_in_order(self, zone_name, slots, n):
        post = ContentPostFactory()
        post.team.timezone = zone_name
        post.team.save()
        account = SocialAccountFactory(team=post.team)
        queue_slots_set(account=account, slots=list(slots))
        now = timezone.now()

        rows = [
            queue_add(post=ContentPostFactory(author=post.author, team=post.team), account=account, now=now)
            for _ in range(n)
        ]

        times = [r.scheduled_at for r in rows]
        assert times == sorted(times) and len(set(times)) == n
        tz = ZoneInfo(zone_name)
        for at in times:
            assert at > now
            local = utc_to_local(at, tz)
            slot_times = {t for d, t in slots if d == local.weekday()}
            assert local.time() in slot_times or not all(
                _exists(datetime.combine(local.date(), t), tz) for t in slot_times
            )

    # Property 23: Scheduling Notifications (one reminder before, one outcome after)
    @settings(max_examples=12, deadline=None)
    @given(fails=st.booleans(), lead_minutes=st.integers(min_value=1, max_value=14))
    def test_the_author_hears_once_before_and_once_after(self, fails, lead_minutes):
        post = ContentPostFactory(content="Going out soon" + (" [sandbox:fail=content]" if fails else ""))
        account = SocialAccountFactory(team=post.team)
        now = timezone.now()
        [row] = post_schedule(
            post=post, accounts=[account], at=now + timedelta(minutes=lead_minutes), tz="UTC"
        ).scheduled

        reminders_send(now=now)
        reminders_send(now=now + timedelta(seconds=30))
        with time_machine.travel(row.scheduled_at + timedelta(seconds=1)), self.captureOnCommitCallbacks(execute=True):
            dispatch_due_posts()

        row.refresh_from_db()
        titles = list(Notification.objects.filter(user=post.author).values_list("title", flat=True))
        assert sum(t.startswith("Going out on") for t in titles) == 1
        outcome = [t for t in titles if t.startswith(("Published on", "Could not publish"))]
        assert len(outcome) == 1
        assert outcome[0].startswith("Could not publish" if fails else "Published on")
        assert row.status == (ScheduleStatus.FAILED if fails else ScheduleStatus.COMPLETED)
        assert ScheduledPost.objects.get(pk=row.pk).completed_at is not None


def test_time_zone_of_the_schedule_is_kept_for_display():
    # Property 47: Global Analytics and Scheduling (timezone-aware scheduling for global audiences)
    tz = ZoneInfo("Asia/Tokyo")
    at = local_to_utc(datetime(2031, 3, 1, 9, 0), tz)
    assert at == datetime(2031, 3, 1, 0, 0, tzinfo=UTC)
