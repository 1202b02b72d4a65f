"""The post page: results per account with links, schedules, and Publish now / Schedule / Add to queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from content.models import PostStatus
from content.tests.factories import ContentPostFactory
from content.workflow import post_approve, post_submit
from scheduling.models import RecurringSchedule, ScheduledPost
from social.models import SandboxPost
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from teams.permissions import TeamContext
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner():
    user = UserFactory()
    team = user.current_team
    team.timezone = "America/New_York"
    team.save(update_fields=["timezone"])
    return user


@pytest.fixture
def signed_in(client, owner):
    """Signs the owner in at the test's (possibly frozen) time, so the session is fresh then."""

    def sign_in():
        client.force_login(owner)

    return sign_in


@pytest.fixture
def post(owner):
    return ContentPostFactory(
        author=owner, content="Winter menu is out #Lisbon", hashtags=["#Lisbon"], platform="sandbox"
    )


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team, account_name="Bakery sandbox")


def _ctx(user, team):
    return TeamContext(user=user, team=team, membership=Membership.objects.get(team=team, user=user))


def _page(client, post) -> str:
    response = client.get(f"/posts/{post.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_schedule_from_the_post_page_reads_the_time_in_the_workspace_zone(client, signed_in, post, account):
    signed_in()
    # when the author schedules 09:00 on 15 January, New York time
    response = client.post(
        f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": "2030-01-15T09:00"}, follow=True
    )

    # then one schedule at 14:00 UTC, shown back as 09:00 on the post page
    (row,) = ScheduledPost.objects.filter(post=post)
    assert row.scheduled_at == datetime(2030, 1, 15, 14, 0, tzinfo=UTC)
    assert row.timezone == "America/New_York"
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
    html = response.content.decode()
    assert "Scheduled for 2030-01-15 09:00 (America/New_York)" in html
    assert re.search(r'data-testid="schedule-local-time">Tue 15 Jan 2030, 09:00<', html)


@time_machine.travel(NOW, tick=False)
def test_a_past_time_and_a_second_schedule_are_refused_and_change_nothing(client, signed_in, post, account):
    signed_in()
    past = client.post(
        f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": "2030-01-09T09:00"}, follow=True
    )
    assert "That time is in the past." in past.content.decode()
    assert not ScheduledPost.objects.exists()

    client.post(f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": "2030-01-15T09:00"})
    again = client.post(
        f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": "2030-01-16T09:00"}, follow=True
    )
    assert "already scheduled" in again.content.decode()
    assert ScheduledPost.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_schedule_without_accounts_or_time_says_why(client, signed_in, post, account):
    signed_in()
    no_account = client.post(f"/posts/{post.pk}/schedule/", {"when": "2030-01-15T09:00"}, follow=True)
    no_time = client.post(f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)]}, follow=True)
    garbage = client.post(
        f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": "next tuesday"}, follow=True
    )

    assert "Tick at least one account." in no_account.content.decode()
    assert "Pick a date and time." in no_time.content.decode()
    assert "not an ISO 8601 date-time" in garbage.content.decode()
    assert not ScheduledPost.objects.exists()


def test_publish_now_from_the_post_page_shows_the_result_with_its_link(client, signed_in, post, account):
    signed_in()
    response = client.post(f"/posts/{post.pk}/publish-now/", {"account_ids": [str(account.pk)]}, follow=True)

    html = response.content.decode()
    assert "Published to 1 account(s)." in html
    delivered = SandboxPost.objects.get()
    assert delivered.text == "Winter menu is out #Lisbon"  # the hashtag once
    assert 'data-testid="result-sandbox"' in html
    assert "View post" in html


@time_machine.travel(NOW, tick=False)
def test_after_approval_schedule_is_one_click_at_the_prefilled_time(client, signed_in, owner, account):
    signed_in()
    # given a workspace that requires approval, and a post planned for 15 January 10:30 local time
    team = owner.current_team
    team.requires_approval = True
    team.save(update_fields=["requires_approval"])
    reviewer = UserFactory()
    MembershipFactory(team=team, user=reviewer, role=Membership.Role.REVIEWER)
    post = ContentPostFactory(
        author=owner,
        content="Spring hours",
        hashtags=[],
        platform="sandbox",
        scheduled_at=datetime(2030, 1, 15, 15, 30, tzinfo=UTC),
    )
    post_submit(
        ctx=TeamContext(user=owner, team=team, membership=Membership.objects.get(team=team, user=owner)), post=post
    )

    # while it waits, Publish now is disabled and says why
    waiting = _page(client, post)
    assert re.search(r'data-testid="publish-now-post"[^>]*disabled', waiting)
    assert "Waiting for approval" in waiting

    # when the reviewer approves
    post_approve(
        ctx=TeamContext(user=reviewer, team=team, membership=Membership.objects.get(team=team, user=reviewer)),
        post=post,
    )
    page = _page(client, post)

    # then the note has no doubled period, and the form is ready: the planned time, the account ticked
    assert "It can be scheduled" not in page and ".." not in re.search(r'approved-note">(.*?)</p>', page).group(1)
    assert 'value="2030-01-15T10:30"' in page
    assert f'value="{account.pk}" id="pp-acct-{account.pk}" checked' in page

    # one click sends exactly what the form holds
    when = re.search(r'name="when" value="([^"]+)"', page).group(1)
    ticked = re.findall(r'name="account_ids" value="([^"]+)"[^>]*checked', page)
    client.post(f"/posts/{post.pk}/schedule/", {"account_ids": ticked, "when": when})
    (row,) = ScheduledPost.objects.filter(post=post)
    assert row.scheduled_at == datetime(2030, 1, 15, 15, 30, tzinfo=UTC)
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED


def test_a_viewer_sees_no_actions_and_is_refused(client, post, account):
    viewer = UserFactory()
    MembershipFactory(team=post.team, user=viewer, role=Membership.Role.VIEWER)
    viewer.current_team = post.team
    viewer.save(update_fields=["current_team"])
    client.force_login(viewer)

    page = _page(client, post)
    response = client.post(f"/posts/{post.pk}/publish-now/", {"account_ids": [str(account.pk)]})

    assert "Your role cannot publish or schedule" in page
    assert 'data-testid="publishing-form"' not in page
    assert response.status_code == 403
    assert not SandboxPost.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_repeat_weekly_from_a_first_local_time(client, signed_in, post, account):
    signed_in()
    response = client.post(
        f"/posts/{post.pk}/repeat/",
        {"account_ids": [str(account.pk)], "when": "2030-01-14T09:00", "rrule": "FREQ=WEEKLY"},
        follow=True,
    )

    assert "Repeats on 1 account(s)" in response.content.decode()
    series = RecurringSchedule.objects.get(post=post)
    assert (series.start_time.hour, series.timezone, series.rrule) == (9, "America/New_York", "FREQ=WEEKLY")
    first = ScheduledPost.objects.filter(recurrence=series).order_by("scheduled_at").first()
    assert first.scheduled_at == datetime(2030, 1, 14, 14, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_a_bad_rule_is_refused_and_creates_nothing(client, signed_in, post, account):
    signed_in()
    response = client.post(
        f"/posts/{post.pk}/repeat/",
        {"account_ids": [str(account.pk)], "when": "2030-01-14T09:00", "rrule": "FREQ=SECONDLY"},
        follow=True,
    )

    assert "finer than hourly" in response.content.decode()
    assert not RecurringSchedule.objects.exists()
