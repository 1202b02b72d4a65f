from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import QueueSlot, RecurringSchedule, ScheduledPost, ScheduleStatus
from social.tests.factories import SocialAccountFactory
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def post(owner):
    return ContentPostFactory(author=owner, team=owner.current_team)


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team, platform="sandbox")


def _future(hours=2) -> str:
    return (timezone.now() + timedelta(hours=hours)).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_schedule_exactly_as_the_spec_writes_it(api, post, account):
    response = api.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": _future(), "platforms": ["sandbox"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["success"] is True
    assert body["scheduledPost"]["postId"] == str(post.pk)
    assert body["scheduledPost"]["status"] == "PENDING"
    assert body["scheduledPost"]["socialAccountId"] == str(account.pk)
    assert len(body["scheduledPosts"]) == 1
    post.refresh_from_db()
    assert post.status == "SCHEDULED"


def test_wall_clock_time_without_offset_is_read_in_the_given_zone(api, post, account):
    response = api.post(
        "/api/content/schedule",
        {
            "postId": str(post.pk),
            "scheduledAt": "2031-07-01T09:00:00",
            "platforms": [str(account.pk)],
            "timezone": "America/New_York",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    row = ScheduledPost.objects.get()
    assert row.scheduled_at == datetime(2031, 7, 1, 13, 0, tzinfo=UTC)  # EDT is UTC-4
    assert row.timezone == "America/New_York"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scheduledAt": "2001-01-01T00:00:00Z", "platforms": ["sandbox"]}, "scheduledAt"),
        ({"scheduledAt": "next tuesday", "platforms": ["sandbox"]}, "scheduledAt"),
        ({"scheduledAt": "2031-01-01T00:00:00Z", "platforms": ["sandbox"], "timezone": "Mars/Olympus"}, "timezone"),
        ({"scheduledAt": "2031-01-01T00:00:00Z", "platforms": ["linkedin"]}, "platforms"),
        ({"scheduledAt": "2031-01-01T00:00:00Z", "platforms": []}, "platforms"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(api, post, account, body, field):
    response = api.post("/api/content/schedule", {"postId": str(post.pk), **body}, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["details"]
    assert not ScheduledPost.objects.exists()


def test_scheduling_the_same_post_twice_for_an_account_is_a_conflict(api, post, account):
    body = {"postId": str(post.pk), "scheduledAt": _future(), "platforms": ["sandbox"]}
    api.post("/api/content/schedule", body, format="json")

    response = api.post("/api/content/schedule", body, format="json")

    assert response.status_code == 409
    assert ScheduledPost.objects.count() == 1


def test_a_viewer_cannot_schedule(post, account):
    viewer = MembershipFactory(team=post.team, role="viewer").user
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": _future(), "platforms": ["sandbox"]},
        format="json",
        HTTP_X_TEAM_ID=str(post.team_id),
    )

    assert response.status_code == 403
    assert not ScheduledPost.objects.exists()


def test_reschedule_cancel_and_list(api, post, account):
    created = api.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": _future(), "platforms": ["sandbox"]},
        format="json",
    ).json()["scheduledPost"]

    moved = api.patch(f"/api/schedules/{created['id']}/", {"scheduledAt": _future(5)}, format="json")
    listed = api.get("/api/schedules/?status=PENDING")
    cancelled = api.delete(f"/api/schedules/{created['id']}/")

    assert moved.status_code == 200
    assert moved.json()["scheduledPost"]["scheduledAt"].startswith(_future(5)[:13])
    assert listed.json()["count"] == 1
    assert cancelled.json()["scheduledPost"]["status"] == "CANCELLED"
    post.refresh_from_db()
    assert post.status == "DRAFT"
    assert api.delete(f"/api/schedules/{created['id']}/").status_code == 409


def test_list_query_count_is_flat(api, owner, account, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            p = ContentPostFactory(author=owner, team=owner.current_team)
            ScheduledPost.objects.create(
                post=p, social_account=account, platform="sandbox", scheduled_at=timezone.now() + timedelta(days=1)
            )

    add(2)
    with django_assert_max_num_queries(12) as few:
        api.get("/api/schedules/")
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/schedules/")
    assert response.json()["count"] == 27


def test_queue_slots_add_reorder_and_shuffle(api, owner, account):
    owner.current_team.timezone = "Europe/Paris"
    owner.current_team.save()
    slots = api.put(
        f"/api/queue/{account.pk}/slots/",
        {"slots": [{"weekday": d, "time": "09:30"} for d in range(7)]},
        format="json",
    )
    assert slots.status_code == 200, slots.json()
    posts = [ContentPostFactory(author=owner, team=owner.current_team) for _ in range(3)]

    added = [
        api.post("/api/queue/add/", {"postId": str(p.pk), "accountIds": [str(account.pk)]}, format="json").json()
        for p in posts
    ]
    times = [a["scheduledPosts"][0]["scheduledAt"] for a in added]
    ids = [a["scheduledPosts"][0]["id"] for a in added]

    # consecutive days at 09:30 Paris time, in the order added
    assert len(set(times)) == 3 and times == sorted(times)
    reordered = api.post(f"/api/queue/{account.pk}/reorder/", {"scheduledPostIds": ids[::-1]}, format="json")
    assert reordered.status_code == 200
    by_id = {row.pk.hex: row.scheduled_at for row in ScheduledPost.objects.all()}
    assert by_id[ids[2].replace("-", "")] < by_id[ids[0].replace("-", "")]
    bad = api.post(f"/api/queue/{account.pk}/reorder/", {"scheduledPostIds": ids[:1]}, format="json")
    assert bad.status_code == 400
    assert api.post(f"/api/queue/{account.pk}/shuffle/").status_code == 200
    assert sorted(ScheduledPost.objects.values_list("scheduled_at", flat=True)) == sorted(by_id.values())


def test_adding_to_a_queue_without_slots_is_a_400(api, post, account):
    response = api.post("/api/queue/add/", {"postId": str(post.pk), "accountIds": [str(account.pk)]}, format="json")

    assert response.status_code == 400
    assert QueueSlot.objects.count() == 0


def test_recurring_series_then_edit_one_occurrence_then_the_series(api, post, account):
    response = api.post(
        "/api/schedules/recurring/",
        {
            "postId": str(post.pk),
            "accountIds": [str(account.pk)],
            "rrule": "FREQ=DAILY",
            "startLocal": (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:00:00"),
            "timezone": "Europe/London",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    series_id = response.json()["results"][0]["id"]
    occurrences = ScheduledPost.objects.filter(recurrence_id=series_id).order_by("scheduled_at")
    assert occurrences.count() >= 10
    first = occurrences.first()
    api.patch(
        f"/api/schedules/{first.pk}/",
        {"scheduledAt": (first.scheduled_at + timedelta(hours=3)).isoformat()},
        format="json",
    )

    edited = api.patch(f"/api/schedules/recurring/{series_id}/", {"rrule": "FREQ=WEEKLY;BYDAY=MO"}, format="json")

    assert edited.status_code == 200
    first.refresh_from_db()
    assert first.is_exception and first.status == ScheduleStatus.PENDING  # kept its own time
    weekly = ScheduledPost.objects.filter(recurrence_id=series_id, is_exception=False)
    assert weekly.exists()
    london = {
        (
            r.scheduled_at.astimezone(ZoneInfo("Europe/London")).weekday(),
            r.scheduled_at.astimezone(ZoneInfo("Europe/London")).hour,
        )
        for r in weekly
    }
    assert london == {(0, 9)}  # Mondays at 09:00 London time
    assert (
        api.patch(f"/api/schedules/recurring/{series_id}/", {"rrule": "FREQ=SECONDLY"}, format="json").status_code
        == 400
    )
    assert api.delete(f"/api/schedules/recurring/{series_id}/").status_code == 200
    assert not RecurringSchedule.objects.get(pk=series_id).is_active


def test_best_times_fall_back_to_platform_norms_with_thin_history(api):
    response = api.get("/api/schedules/best-times/?platform=linkedin")

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 5
    assert all(r["confidence"] <= 0.2 and r["reason"] for r in results)


def test_every_endpoint_hides_another_teams_objects(api, owner):
    # given another team's post, schedule, series and account
    other_post = ContentPostFactory()
    other_account = SocialAccountFactory(team=other_post.team)
    other_row = ScheduledPost.objects.create(
        post=other_post,
        social_account=other_account,
        platform="sandbox",
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    series = RecurringSchedule.objects.create(
        team=other_post.team,
        post=other_post,
        social_account=other_account,
        rrule="FREQ=DAILY",
        start_date=date(2031, 1, 1),
        start_time=time(9),
        timezone="UTC",
    )
    SocialAccountFactory(team=owner.current_team, platform="sandbox")
    calls = [
        (
            "post",
            "/api/content/schedule",
            {"postId": str(other_post.pk), "scheduledAt": _future(), "platforms": ["sandbox"]},
        ),
        ("get", f"/api/schedules/{other_row.pk}/", None),
        ("patch", f"/api/schedules/{other_row.pk}/", {"scheduledAt": _future()}),
        ("delete", f"/api/schedules/{other_row.pk}/", None),
        ("post", f"/api/schedules/{other_row.pk}/retry/", None),
        ("patch", f"/api/schedules/recurring/{series.pk}/", {"rrule": "FREQ=WEEKLY"}),
        ("delete", f"/api/schedules/recurring/{series.pk}/", None),
        ("get", f"/api/queue/{other_account.pk}/slots/", None),
        ("put", f"/api/queue/{other_account.pk}/slots/", {"slots": []}),
        ("post", "/api/queue/add/", {"postId": str(other_post.pk), "accountIds": [str(other_account.pk)]}),
        ("post", f"/api/queue/{other_account.pk}/reorder/", {"scheduledPostIds": [str(other_row.pk)]}),
        ("post", f"/api/queue/{other_account.pk}/shuffle/", None),
    ]
    for method, url, body in calls:
        response = getattr(api, method)(url, body, format="json") if body is not None else getattr(api, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    # and the other team's list stays invisible
    assert api.get("/api/schedules/").json()["count"] == 0
    other_row.refresh_from_db()
    assert other_row.status == ScheduleStatus.PENDING


def test_anonymous_is_401():
    assert APIClient().get("/api/schedules/").status_code == 401
