from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import QueueSlot, ScheduledPost, ScheduleStatus
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _scheduled(team, when=None, status=ScheduleStatus.PENDING, text="Hello calendar"):
    post = ContentPostFactory(team=team, author=team.owner, title=text, content=text)
    account = SocialAccountFactory(team=team)
    return ScheduledPost.objects.create(
        post=post,
        social_account=account,
        platform="sandbox",
        status=status,
        scheduled_at=when or timezone.now() + timedelta(hours=3),
    )


def test_calendar_shows_the_teams_posts_and_not_others(client, owner):
    mine = _scheduled(owner.current_team, text="Our launch post")
    _scheduled(UserFactory().current_team, text="Somebody else's secret")

    for view in ("month", "week", "list"):
        response = client.get(f"/calendar/?view={view}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Our launch post" in html
        assert "secret" not in html
    assert f'data-schedule-id="{mine.pk}"' in client.get("/calendar/").content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/calendar/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_calendar_query_count_is_flat(client, owner, django_assert_max_num_queries):
    _scheduled(owner.current_team)
    with django_assert_max_num_queries(30) as few:
        client.get("/calendar/?view=month")
    for _ in range(20):
        _scheduled(owner.current_team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/calendar/?view=month").status_code == 200


def test_schedule_form_plans_the_post_in_the_team_zone(client, owner):
    owner.current_team.timezone = "Asia/Tokyo"
    owner.current_team.save()
    post = ContentPostFactory(team=owner.current_team, author=owner)
    account = SocialAccountFactory(team=owner.current_team)
    local = (timezone.now() + timedelta(days=2)).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))

    response = client.post(
        "/calendar/schedule/", {"post": post.pk, "accounts": [account.pk], "when": local.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    row = ScheduledPost.objects.get()
    assert row.timezone == "Asia/Tokyo"
    assert abs(row.scheduled_at - local.replace(second=0, microsecond=0)) < timedelta(seconds=1)


def test_schedule_form_with_a_past_time_changes_nothing(client, owner):
    post = ContentPostFactory(team=owner.current_team, author=owner)
    account = SocialAccountFactory(team=owner.current_team)

    client.post("/calendar/schedule/", {"post": post.pk, "accounts": [account.pk], "when": "2001-01-01T09:00"})

    assert not ScheduledPost.objects.exists()


def test_queue_page_saves_slots_and_hides_other_teams_accounts(client, owner):
    account = SocialAccountFactory(team=owner.current_team)
    other = SocialAccountFactory(team=UserFactory().current_team)

    saved = client.post(f"/calendar/queue/{account.pk}/", {"weekdays": ["0", "2"], "times": "09:00, 17:30"})

    assert saved.status_code == 302
    assert QueueSlot.objects.filter(social_account=account).count() == 4
    assert client.get(f"/calendar/queue/{other.pk}/").status_code == 404
    assert client.post(f"/calendar/queue/{account.pk}/", {"weekdays": ["0"], "times": "25:99"}).status_code == 200
    assert QueueSlot.objects.filter(social_account=account).count() == 4


def test_retry_of_another_teams_schedule_is_a_404(client, owner):
    other = _scheduled(UserFactory().current_team, status=ScheduleStatus.FAILED)

    assert client.post(f"/calendar/{other.pk}/retry/").status_code == 404
