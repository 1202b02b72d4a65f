"""The calendar: a week time grid in the workspace's zone, one word per status, live refresh events."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.services import post_schedule, schedule_cancel
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)  # a Thursday


@pytest.fixture
def owner():
    user = UserFactory()
    user.current_team.timezone = "America/New_York"
    user.current_team.save(update_fields=["timezone"])
    return user


def _row(owner, when, status=ScheduleStatus.PENDING, title="Morning bread"):
    post = ContentPostFactory(author=owner, title=title, content=title, hashtags=[], platform="sandbox")
    account = SocialAccountFactory(team=owner.current_team)
    return ScheduledPost.objects.create(
        post=post, social_account=account, platform="sandbox", status=status, scheduled_at=when
    )


def _cell(html: str, slot: str) -> str:
    start = html.index(f'data-testid="slot-{slot}"')
    end = html.find('data-testid="slot-', start + 10)
    return html[start:end]


@time_machine.travel(NOW, tick=False)
def test_the_week_is_a_time_grid_in_the_workspace_zone_with_one_word_per_status(client, owner):
    _row(owner, datetime(2030, 1, 8, 14, 30, tzinfo=UTC), title="Morning bread")  # 09:30 in New York
    _row(owner, datetime(2030, 1, 9, 23, 0, tzinfo=UTC), ScheduleStatus.COMPLETED, title="Evening bake")  # 18:00
    client.force_login(owner)

    html = client.get("/calendar/?view=week&date=2030-01-08").content.decode()

    assert 'data-testid="week-grid"' in html
    morning = _cell(html, "2030-01-08-09")
    assert "Morning bread" in morning and "09:30" in morning and "Scheduled" in morning
    evening = _cell(html, "2030-01-09-18")
    assert "Evening bake" in evening and "Published" in evening and "Completed" not in html
    assert "Morning bread" not in _cell(html, "2030-01-08-14")  # not at its UTC hour
    assert re.search(r'<option value="COMPLETED"[^>]*>Published</option>', html)
    assert html.count('class="calendar-hour"') == 15  # 07:00-21:00


@time_machine.travel(NOW, tick=False)
def test_an_early_post_adds_its_hour_to_the_grid(client, owner):
    _row(owner, datetime(2030, 1, 8, 10, 15, tzinfo=UTC), title="Dawn post")  # 05:15 in New York
    client.force_login(owner)

    html = client.get("/calendar/?view=week&date=2030-01-08").content.decode()

    assert "05:00" in html and 'data-testid="slot-2030-01-08-05"' in html
    assert html.count('class="calendar-hour"') == 16


@time_machine.travel(NOW, tick=False)
def test_scheduling_and_cancelling_tell_open_calendars(owner, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(f"team.{owner.current_team_id}", channel)
    post = ContentPostFactory(author=owner, content="Hello", hashtags=[], platform="sandbox")
    account = SocialAccountFactory(team=owner.current_team)

    with django_capture_on_commit_callbacks(execute=True):
        (row,) = post_schedule(post=post, accounts=[account], at=datetime(2030, 1, 11, tzinfo=UTC), tz="UTC").scheduled
    created = async_to_sync(layer.receive)(channel)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_cancel(scheduled=row)
    cancelled = async_to_sync(layer.receive)(channel)

    assert created["event"]["kind"] == cancelled["event"]["kind"] == "calendar.changed"
