"""The week view in a browser: a time grid in the workspace's zone, drag a post to another day and hour,
and the calendar shows a schedule made elsewhere as soon as the team event arrives (no reload)."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from scheduling.models import ScheduledPost
from social.tests.factories import SocialAccountFactory
from tests.browser.conftest import RESULTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
ZONE = ZoneInfo("Europe/Lisbon")


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), tzinfo=ZONE)


def test_week_grid_drag_to_another_hour_and_live_refresh(page, log_in, notification_socket, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    user = User.objects.create_user("tiago@example.com", PASSWORD, first_name="Tiago", email_verified=True)
    team = user.current_team
    team.timezone = "Europe/Lisbon"
    team.save(update_fields=["timezone"])
    account = SocialAccountFactory(team=team, platform="sandbox", account_name="Shop sandbox")
    day = (timezone.now().astimezone(ZONE) + timedelta(days=2)).date()
    post = ContentPost.objects.create(
        team=team, author=user, title="Rye is back", content="Rye is back", platform="sandbox"
    )
    row = ScheduledPost.objects.create(post=post, social_account=account, platform="sandbox", scheduled_at=_at(day, 9))
    log_in(user.email, PASSWORD)

    page.goto(f"/calendar/?view=week&date={day.isoformat()}")
    chip = page.get_by_test_id(f"slot-{day.isoformat()}-09").get_by_test_id("chip")
    expect(chip).to_contain_text("09:30")
    expect(chip).to_contain_text("Scheduled")

    # drag it to the next day at 11: same minutes, the new day and hour, in Lisbon time
    target = page.get_by_test_id(f"slot-{(day + timedelta(days=1)).isoformat()}-11")
    chip.drag_to(target)
    expect(target.get_by_test_id("chip")).to_contain_text("11:30")
    row.refresh_from_db()
    assert row.scheduled_at == _at(day + timedelta(days=1), 11)

    # a teammate schedules another post: the team event refreshes the open calendar
    other = ContentPost.objects.create(team=team, author=user, title="Oat loaf", content="Oat loaf", platform="sandbox")
    ScheduledPost.objects.create(post=other, social_account=account, platform="sandbox", scheduled_at=_at(day, 15))
    for ws in notification_socket.connections:
        ws.send(json.dumps({"type": "team_event", "event": {"kind": "calendar.changed"}}))
    expect(page.get_by_test_id(f"slot-{day.isoformat()}-15").get_by_test_id("chip")).to_contain_text("Oat loaf")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "calendar-week-grid.png"), full_page=True)
    assert page_problems.collect(page) == []
