"""The calendar costs what it shows: bounded days with "+N more", a searched post picker, nothing that
grows with the team's total posts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from content.models import ContentPost, PostStatus
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost, ScheduleStatus
from scheduling.views import PER_DAY, POST_CHOICES
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _schedule_many(team, count, at, text="Busy day", account=None):
    account = account or SocialAccountFactory(team=team)
    posts = ContentPost.objects.bulk_create(
        [
            ContentPost(team=team, author=team.owner, title=f"{text} {i}", content=text, status=PostStatus.SCHEDULED)
            for i in range(count)
        ]
    )
    ScheduledPost.objects.bulk_create(
        [
            ScheduledPost(
                post=p,
                team_id=p.team_id,
                social_account=account,
                platform="sandbox",
                scheduled_at=at + timedelta(minutes=i),
                timezone="UTC",
            )
            for i, p in enumerate(posts)
        ]
    )
    return account


def _drafts(team, count, text="Draft idea"):
    ContentPost.objects.bulk_create(
        [
            ContentPost(team=team, author=team.owner, title=f"{text} {i}", content=text, status=PostStatus.DRAFT)
            for i in range(count)
        ]
    )


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("view", ["month", "week"])
def test_a_busy_day_shows_a_few_entries_and_opens_the_rest(client, owner, view):
    _schedule_many(owner.current_team, PER_DAY + 4, NOW + timedelta(hours=2))

    html, _ = _get(client, f"/calendar/?view={view}&date=2026-03-10")

    assert html.count('data-testid="chip"') == PER_DAY
    more = re.search(r'<a class="calendar-more" href="([^"]+)"[^>]*hx-target="#calendar-day"[^>]*>\+4 more</a>', html)
    assert more, "the day says how many more it holds and opens them"
    day, _ = _get(client, more.group(1).replace("&amp;", "&"), **HTMX)
    assert day.count('data-testid="chip"') == PER_DAY + 4
    assert "Busy day 6" in day


@time_machine.travel(NOW, tick=False)
def test_the_opened_day_keeps_the_filters_and_pages_through_a_long_day(client, owner):
    account = _schedule_many(owner.current_team, 60, NOW + timedelta(hours=1))
    _schedule_many(owner.current_team, 5, NOW + timedelta(hours=1), text="Other account")

    html, _ = _get(client, f"/calendar/?date=2026-03-10&account={account.pk}")
    assert "+57 more" in html  # the other account's five are filtered out
    first, _ = _get(client, f"/calendar/day/?date=2026-03-10&account={account.pk}", **HTMX)
    assert first.count('data-testid="chip"') == 50
    assert "Other account" not in first
    second, _ = _get(client, f"/calendar/day/?date=2026-03-10&account={account.pk}&page=2", **HTMX)
    assert second.count('data-testid="chip"') == 10
    assert 'data-testid="day-next"' not in second


@time_machine.travel(NOW, tick=False)
def test_month_costs_the_same_whether_a_day_holds_four_posts_or_forty(client, owner):
    account = _schedule_many(owner.current_team, 4, NOW + timedelta(hours=1))
    small, small_queries = _get(client, "/calendar/?date=2026-03-10")
    _schedule_many(owner.current_team, 36, NOW + timedelta(hours=1), text="More of them", account=account)
    big, big_queries = _get(client, "/calendar/?date=2026-03-10")

    assert big_queries == small_queries
    assert abs(len(big) - len(small)) < 100  # only the "+N more" figure changed


@time_machine.travel(NOW, tick=False)
def test_an_empty_month_does_not_grow_with_the_teams_posts(client, owner):
    account = SocialAccountFactory(team=owner.current_team)
    _drafts(owner.current_team, POST_CHOICES + 1)
    small, small_queries = _get(client, "/calendar/?date=2027-01-01")
    _drafts(owner.current_team, 200, text="Later idea")
    _schedule_many(owner.current_team, 50, NOW + timedelta(days=3), account=account)
    big, big_queries = _get(client, "/calendar/?date=2027-01-01")

    assert big_queries == small_queries
    assert big.count('name="post"') == POST_CHOICES
    assert "<option" not in big.split('data-testid="schedule-form"')[1].split("</form>")[0]
    assert abs(len(big) - len(small)) < 200  # other titles and ids, not more of them


def test_the_post_picker_searches_only_this_teams_unscheduled_posts(client, owner):
    team = owner.current_team
    SocialAccountFactory(team=team)
    # Texts of our own: the factory's random words include "spring" now and then.
    ContentPostFactory(team=team, author=owner, title="Spring sale teaser", content="Soon.", status=PostStatus.DRAFT)
    ContentPostFactory(
        team=team, author=owner, title="Spring sale already planned", content="Soon.", status=PostStatus.SCHEDULED
    )
    ContentPostFactory(team=team, author=owner, title="Autumn recap", content="Leaves.", status=PostStatus.APPROVED)
    stranger = UserFactory()
    ContentPostFactory(team=stranger.current_team, author=stranger, title="Spring sale of theirs", content="Soon.")

    html, _ = _get(client, "/calendar/posts/?post_q=spring", **HTMX)

    assert "Spring sale teaser" in html
    assert "already planned" not in html
    assert "of theirs" not in html
    assert "Autumn recap" not in html
    assert 'type="radio" name="post"' in html
    nothing, _ = _get(client, "/calendar/posts/?post_q=winter", **HTMX)
    assert "No unscheduled post matches" in nothing
    # Without htmx (Enter with scripts off) the search lands on the calendar with the choices narrowed.
    page = client.get("/calendar/posts/?post_q=autumn", follow=True).content.decode()
    form = page.split('data-testid="post-choices"')[1].split("</fieldset>")[0]
    assert "Autumn recap" in form and "Spring sale teaser" not in form


def test_another_teams_user_neither_finds_nor_opens_the_teams_posts(client, owner):
    stranger = UserFactory()
    SocialAccountFactory(team=stranger.current_team)
    ContentPostFactory(team=stranger.current_team, author=stranger, title="Hidden draft", status=PostStatus.DRAFT)
    at = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    _schedule_many(stranger.current_team, 5, at, text="Hidden plan")

    assert "Hidden" not in _get(client, "/calendar/posts/?post_q=hidden", **HTMX)[0]
    assert "Hidden" not in _get(client, "/calendar/day/?date=2026-03-12", **HTMX)[0]
    assert "Hidden" not in _get(client, "/calendar/?date=2026-03-12")[0]


def test_the_picked_post_is_scheduled(client, owner):
    team = owner.current_team
    account = SocialAccountFactory(team=team)
    post = ContentPostFactory(team=team, author=owner, title="Pick me", status=PostStatus.APPROVED)

    html, _ = _get(client, "/calendar/posts/?post_q=pick", **HTMX)
    value = re.search(r'type="radio" name="post" value="([^"]+)"', html).group(1)
    response = client.post("/calendar/schedule/", {"post": value, "accounts": [account.pk], "when": "2031-05-01T09:00"})

    assert response.status_code == 302
    assert ScheduledPost.objects.get(post=post).status == ScheduleStatus.PENDING


@time_machine.travel(NOW, tick=False)
def test_the_list_view_is_bounded(client, owner, settings):
    _schedule_many(owner.current_team, 105, NOW + timedelta(hours=1))

    html, _ = _get(client, "/calendar/?view=list")

    assert html.count("<tr>") == 101  # a header and the first hundred
    assert 'data-testid="list-truncated"' in html
