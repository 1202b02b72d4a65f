"""Queue reorder and shuffle on the queue page; recurring series on the calendar with edit and stop."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import RecurringSchedule, ScheduledPost, ScheduleStatus
from scheduling.series import recurring_create
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team)


def _queued(owner, account, n):
    rows = []
    for i in range(n):
        post = ContentPostFactory(author=owner, title=f"Queued {i}", content=f"Queued {i}", hashtags=[])
        rows.append(
            ScheduledPost.objects.create(
                post=post,
                social_account=account,
                platform=account.platform,
                scheduled_at=NOW + timedelta(days=i + 1),
                in_queue=True,
            )
        )
    return rows


def _order(account):
    return list(
        ScheduledPost.objects.filter(social_account=account, in_queue=True)
        .order_by("scheduled_at")
        .values_list("post__title", flat=True)
    )


@time_machine.travel(NOW, tick=False)
def test_move_down_drag_order_and_shuffle_keep_the_slot_times(client, owner, account):
    rows = _queued(owner, account, 3)
    times = sorted(r.scheduled_at for r in rows)
    client.force_login(owner)

    client.post(f"/calendar/queue/{account.pk}/reorder/", {"move": f"{rows[0].pk}:down"})
    assert _order(account) == ["Queued 1", "Queued 0", "Queued 2"]

    client.post(
        f"/calendar/queue/{account.pk}/reorder/", {"order": [str(rows[2].pk), str(rows[1].pk), str(rows[0].pk)]}
    )
    assert _order(account) == ["Queued 2", "Queued 1", "Queued 0"]

    random.seed(7)
    client.post(f"/calendar/queue/{account.pk}/shuffle/")
    assert sorted(_order(account)) == ["Queued 0", "Queued 1", "Queued 2"]
    assert sorted(ScheduledPost.objects.values_list("scheduled_at", flat=True)) == times

    page = client.get(f"/calendar/queue/{account.pk}/").content.decode()
    assert page.count('data-testid="queue-item"') == 3 and 'data-testid="queue-shuffle"' in page


@time_machine.travel(NOW, tick=False)
def test_a_partial_order_is_refused_and_changes_nothing(client, owner, account):
    rows = _queued(owner, account, 2)
    client.force_login(owner)

    response = client.post(f"/calendar/queue/{account.pk}/reorder/", {"order": [str(rows[1].pk)]}, follow=True)

    assert "exactly once" in response.content.decode()
    assert _order(account) == ["Queued 0", "Queued 1"]


def test_a_viewer_cannot_reorder(client, owner, account):
    viewer = UserFactory()
    MembershipFactory(team=owner.current_team, user=viewer, role=Membership.Role.VIEWER)
    viewer.current_team = owner.current_team
    viewer.save(update_fields=["current_team"])
    client.force_login(viewer)

    assert client.post(f"/calendar/queue/{account.pk}/shuffle/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_series_show_on_the_calendar_and_can_be_edited_and_stopped(client, owner, account):
    post = ContentPostFactory(author=owner, title="Monday tips", content="Monday tips", hashtags=[])
    series = recurring_create(
        post=post,
        account=account,
        rrule="FREQ=WEEKLY",
        start_local=datetime.combine(date(2030, 1, 14), time(9, 0)),
        tz="UTC",
        actor=owner,
    )
    client.force_login(owner)

    page = client.get("/calendar/?view=month&date=2030-01-14").content.decode()
    assert 'data-testid="series-item"' in page and "Monday tips" in page
    assert 'data-testid="chip-repeats"' in page

    client.post(f"/calendar/series/{series.pk}/", {"rrule": "FREQ=DAILY", "when": "2030-01-14T10:00"})
    series.refresh_from_db()
    assert series.rrule == "FREQ=DAILY" and series.start_time == time(10, 0)
    upcoming = ScheduledPost.objects.filter(recurrence=series, status=ScheduleStatus.PENDING).order_by("scheduled_at")
    assert [r.scheduled_at.hour for r in upcoming[:2]] == [10, 10]
    assert (upcoming[1].scheduled_at - upcoming[0].scheduled_at) == timedelta(days=1)

    client.post(f"/calendar/series/{series.pk}/stop/")
    series.refresh_from_db()
    assert series.is_active is False
    assert not ScheduledPost.objects.filter(recurrence=series, status=ScheduleStatus.PENDING).exists()
    assert 'data-testid="series-item"' not in client.get("/calendar/").content.decode()


def test_another_teams_series_is_a_404(client, owner, account):
    post = ContentPostFactory(author=owner, hashtags=[])
    series = RecurringSchedule.objects.create(
        team=owner.current_team,
        post=post,
        social_account=account,
        rrule="FREQ=DAILY",
        start_date=date(2030, 1, 1),
        start_time=time(8, 0),
    )
    client.force_login(UserFactory())

    assert client.post(f"/calendar/series/{series.pk}/stop/").status_code == 404
    series.refresh_from_db()
    assert series.is_active


@time_machine.travel(NOW, tick=False)
def test_a_custom_rule_is_shown_in_words_not_as_rrule_text(client, owner, account):
    post = ContentPostFactory(author=owner, title="Tips", content="Tips", hashtags=[])
    recurring_create(
        post=post,
        account=account,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10",
        start_local=datetime.combine(date(2030, 1, 14), time(9, 0)),
        tz="UTC",
        actor=owner,
    )
    client.force_login(owner)

    page = client.get("/calendar/?view=month&date=2030-01-14").content.decode()

    assert ">Every 2 weeks on Monday, Thursday, 10 times</option>" in page
    assert ">FREQ=WEEKLY;INTERVAL=2" not in page  # the rule stays the option's value, never its label
    assert 'value="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10" selected' in page
