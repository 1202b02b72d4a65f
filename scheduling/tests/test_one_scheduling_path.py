"""Every way of scheduling (API, publish page, bulk page, post page, calendar) is one function, so a
bad time, a duplicate and a post waiting for review are refused or kept the same way everywhere."""

from __future__ import annotations

import html
import io
import re
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import resolve
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.models import PostStatus
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost
from social.models import SandboxPost
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"
GAP = "2031-03-30T01:30"  # London's clocks jump from 01:00 to 02:00 that night: 01:30 never happens
PAST = "2031-02-01T09:00"
LATER = "2031-04-02T09:30"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner():
    user = UserFactory()
    user.current_team.timezone = ZONE  # the post page and the calendar read times in the workspace's zone
    user.current_team.save(update_fields=["timezone"])
    return user


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team)


@pytest.fixture
def post(owner):
    return ContentPostFactory(author=owner, content="Spring opening hours", hashtags=[], platform="sandbox")


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def browser(client, owner):
    client.force_login(owner)
    return client


def _via_api(api, post, account, when):
    response = api.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": when, "platforms": [str(account.pk)], "timezone": ZONE},
        format="json",
    )
    return response.status_code, response.json().get("error", {}).get("message")


def _error_in(page: str, testid: str) -> str | None:
    found = re.search(rf'data-testid="{testid}">(.*?)\s*(<|$)', page, re.S)
    return html.unescape(found.group(1).strip()) if found else None


def _via_publish_page(browser, post, account, when):
    response = browser.post(
        f"/social/publish/{post.pk}/submit/",
        {"account_ids": [str(account.pk)], "mode": "schedule", "publish_at": when, "timezone": ZONE},
        HTTP_HX_REQUEST="true",
    )
    return _error_in(response.content.decode(), "publish-error")


def _via_bulk_page(browser, post, account, when):
    response = browser.post(
        "/social/bulk/",
        {"post_ids": [str(post.pk)], "account_ids": [str(account.pk)], "mode": "schedule", "publish_at": when}
        | {"timezone": ZONE},
    )
    return _error_in(response.content.decode(), "bulk-error")


def _page_message(response) -> str | None:
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    return errors[0] if errors else None


def _via_post_page(browser, post, account, when):
    response = browser.post(f"/posts/{post.pk}/schedule/", {"account_ids": [str(account.pk)], "when": when})
    return _page_message(response)


def _via_calendar(browser, post, account, when):
    response = browser.post("/calendar/schedule/", {"post": str(post.pk), "accounts": [str(account.pk)], "when": when})
    return _page_message(response)


PAGES = [_via_publish_page, _via_bulk_page, _via_post_page, _via_calendar]


@pytest.mark.parametrize("page", PAGES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("when", [GAP, PAST], ids=["dst-gap", "past"])
def test_a_page_refuses_a_bad_time_exactly_as_the_api_does(api, browser, post, account, page, when):
    status, api_message = _via_api(api, post, account, when)

    assert status == 400 and api_message
    assert page(browser, post, account, when) == api_message
    assert not ScheduledPost.objects.exists()
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT and post.scheduled_at is None


def test_the_refusals_name_the_problem(api, post, account):
    assert (
        _via_api(api, post, account, GAP)[1]
        == "2031-03-30 01:30 does not exist in Europe/London: the clocks go forward then."
    )
    assert _via_api(api, post, account, PAST)[1] == "That time is in the past."


def test_the_publish_api_refuses_the_same_times(api, post, account):
    for when, message in [(GAP, "does not exist in Europe/London"), (PAST, "in the past")]:
        response = api.post(
            "/api/social/publish",
            {"postId": str(post.pk), "accountIds": [str(account.pk)], "publishAt": when, "timezone": ZONE},
            format="json",
        )
        assert response.status_code == 400 and message in response.json()["error"]["message"]
    assert not ScheduledPost.objects.exists() and not SandboxPost.objects.exists()


def test_an_unknown_zone_is_refused_on_the_page_not_read_as_utc(browser, post, account):
    response = browser.post(
        f"/social/publish/{post.pk}/submit/",
        {"account_ids": [str(account.pk)], "mode": "schedule", "publish_at": LATER, "timezone": "Mars/Olympus"},
        HTTP_HX_REQUEST="true",
    )

    assert _error_in(response.content.decode(), "publish-error") == "Unknown time zone 'Mars/Olympus'."
    assert not ScheduledPost.objects.exists()


@pytest.mark.parametrize("page", PAGES, ids=lambda f: f.__name__)
def test_a_second_schedule_for_the_same_account_is_the_apis_409(api, browser, post, account, page):
    assert page(browser, post, account, LATER) is None  # scheduled
    status, api_message = _via_api(api, post, account, "2031-04-03T09:30")

    assert status == 409
    assert page(browser, post, account, "2031-04-04T09:30") == api_message
    assert ScheduledPost.objects.filter(post=post).count() == 1


def test_a_page_schedule_lands_where_the_api_puts_it(api, browser, owner, account):
    by_page = ContentPostFactory(author=owner, content="Page", hashtags=[])
    by_api = ContentPostFactory(author=owner, content="API", hashtags=[])

    assert _via_publish_page(browser, by_page, account, LATER) is None
    assert _via_api(api, by_api, account, LATER)[0] == 201

    page_row, api_row = (ScheduledPost.objects.get(post=p) for p in (by_page, by_api))
    assert page_row.scheduled_at == api_row.scheduled_at == datetime(2031, 4, 2, 8, 30, tzinfo=UTC)  # BST
    assert page_row.timezone == api_row.timezone == ZONE
    by_page.refresh_from_db()
    by_api.refresh_from_db()
    assert by_page.status == by_api.status == PostStatus.SCHEDULED


@pytest.mark.parametrize("page", PAGES[:3], ids=lambda f: f.__name__)  # the calendar offers no post in review
@pytest.mark.parametrize("state", [PostStatus.IN_REVIEW, PostStatus.DRAFT])
def test_a_post_waiting_for_approval_is_scheduled_and_keeps_its_state_on_every_path(
    api, browser, owner, account, page, state
):
    owner.current_team.requires_approval = True
    owner.current_team.save(update_fields=["requires_approval"])
    by_page = ContentPostFactory(author=owner, content="Page", hashtags=[], status=state)
    by_api = ContentPostFactory(author=owner, content="API", hashtags=[], status=state)

    assert page(browser, by_page, account, LATER) is None
    assert _via_api(api, by_api, account, LATER)[0] == 201

    for post in (by_page, by_api):
        post.refresh_from_db()
        assert post.status == state and post.scheduled_at is None
        assert ScheduledPost.objects.get(post=post).status == "PENDING"


def test_publishing_a_post_in_review_now_is_the_same_409_on_the_page_and_the_api(api, browser, owner, account):
    owner.current_team.requires_approval = True
    owner.current_team.save(update_fields=["requires_approval"])
    post = ContentPostFactory(author=owner, content="Waiting", hashtags=[], status=PostStatus.IN_REVIEW)

    by_api = api.post("/api/social/publish", {"postId": str(post.pk), "accountIds": [str(account.pk)]}, format="json")
    by_page = browser.post(
        f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)], "mode": "now"}, HTTP_HX_REQUEST="true"
    )

    assert by_api.status_code == 409
    assert _error_in(by_page.content.decode(), "publish-error") == by_api.json()["error"]["message"]
    assert not SandboxPost.objects.exists()


def test_every_entry_point_calls_the_one_scheduling_function():
    from scheduling import apis, post_views, publish_apis, publish_views, queueing, services, views
    from scheduling.portability import services as imports
    from social.services import publishing

    for module in (apis, post_views, publish_apis, publish_views, queueing, views, imports):
        assert module.post_schedule is services.post_schedule, module.__name__
    assert publish_views.posts_schedule is publish_apis.posts_schedule is services.posts_schedule
    # The second implementation is gone, and the pages and API that schedule are scheduling's.
    assert not hasattr(publishing, "post_schedule_for_accounts") and not hasattr(publishing, "posts_publish_bulk")
    some = uuid.uuid4()
    assert resolve(f"/social/publish/{some}/submit/").func is publish_views.publish_submit
    assert resolve("/social/bulk/").func is publish_views.bulk_publish
    assert resolve("/api/social/publish").func.view_class is publish_apis.PublishApi
    assert resolve("/api/social/bulk-publish").func.view_class is publish_apis.BulkPublishApi


def test_an_import_row_inside_a_dst_gap_gets_the_apis_refusal_and_nothing_is_created(api, post, account):
    from content.models import ContentPost

    _status, api_message = _via_api(api, post, account, GAP)
    rows = (
        "title,content,hashtags,platform,scheduled_at,timezone,accounts\n"
        f"Gap,Spring forward,,sandbox,{GAP}:00,{ZONE},{account.account_name}\n"
    )
    before = ContentPost.objects.count()

    response = api.post(
        "/api/imports/", {"source": "contentgenai", "file": io.BytesIO(rows.encode())}, format="multipart"
    )

    assert response.status_code == 400
    [row] = response.json()["error"]["details"]["rows"]
    assert (row["row"], row["field"], row["message"]) == (2, "scheduled_at", api_message)
    assert ContentPost.objects.count() == before and not ScheduledPost.objects.exists()
