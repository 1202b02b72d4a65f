"""Schedule a post two minutes ahead in the browser; it goes out on time and the author is told."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.services import dispatch_due_posts, reminders_send
from social.models import SandboxPost
from social.tests.factories import SocialAccountFactory
from teams.models import Notification
from tests.browser.threads import off_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_schedule_two_minutes_ahead_then_it_publishes_and_notifies(page, log_in, page_problems):
    # given a user with a draft and a connected sandbox account
    user = User.objects.create_user("sam@example.com", PASSWORD, first_name="Sam", email_verified=True)
    account = SocialAccountFactory(team=user.current_team, platform="sandbox", account_name="Sam's sandbox")
    ContentPost.objects.create(
        team=user.current_team,
        author=user,
        title="Spring launch",
        content="Our spring collection is live today!",
        platform="sandbox",
    )
    log_in(user.email, PASSWORD)

    # when they schedule it two minutes ahead from the calendar
    page.goto("/calendar/")
    when = (timezone.now() + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time").fill(when)
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule", exact=True).click()

    # then the calendar shows it pending
    expect(page.locator(".toast").filter(has_text="Scheduled for")).to_be_visible()
    chip = page.locator('[data-testid="chip"]').filter(has_text="Spring launch")
    expect(chip).to_contain_text("Scheduled")
    row = ScheduledPost.objects.get()
    assert row.social_account == account and row.status == ScheduleStatus.PENDING

    # a minute before, the reminder goes out; at the time, beat's dispatcher publishes it
    # (run off this thread: Playwright's event loop lives here, and delivery pushes over Channels)
    with time_machine.travel(row.scheduled_at - timedelta(minutes=1), tick=True):
        assert off_thread(reminders_send) == 1
    with time_machine.travel(row.scheduled_at + timedelta(seconds=5), tick=True):
        assert off_thread(dispatch_due_posts) == [str(row.pk)]

    # the sandbox received it exactly once, and the page shows it published with two notifications
    assert SandboxPost.objects.filter(account_id=account.account_id).count() == 1
    page.reload()
    expect(page.locator('[data-testid="chip"]').filter(has_text="Spring launch")).to_contain_text("Published")
    expect(page.locator("#notification-badge")).to_have_text(re.compile(r"^2$"))
    titles = set(Notification.objects.filter(user=user).values_list("title", flat=True))
    assert {"Published on Sandbox"} <= titles
    assert any(t.startswith("Going out on Sandbox") for t in titles)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
