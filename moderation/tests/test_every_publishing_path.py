"""Blocked content is refused by every path that saves or publishes it; flagged content waits for review."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.models import ContentPost
from moderation.models import ModerationCase
from social.models import PublishResult, PublishStatus, SandboxPost
from social.services.publishing import publish_result_deliver, publish_result_prepare
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

BLOCKED = "What the fuck is this pricing?"
FLAGGED = "This traffic is shit, but our coffee makes up for it."


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team, platform="sandbox")


def _post(owner, text):
    return ContentPost.objects.create(team=owner.current_team, author=owner, content=text, platform="sandbox")


def _assert_blocked(response):
    assert response.status_code == 422, response.json()
    error = response.json()["error"]
    assert error["code"] == "CONTENT_BLOCKED"
    assert error["details"]["reasons"], "the author is told why"


def test_saving_blocked_text_is_refused_and_nothing_is_stored(api):
    response = api.post("/api/content/save", {"content": BLOCKED, "platform": "linkedin", "title": "x"}, format="json")

    _assert_blocked(response)
    assert not ContentPost.objects.exists()


def test_editing_a_post_into_blocked_text_is_refused(api, owner):
    post = _post(owner, "A clean launch note.")

    _assert_blocked(api.patch(f"/api/posts/{post.pk}/", {"content": BLOCKED}, format="json"))
    post.refresh_from_db()
    assert post.content == "A clean launch note."


def test_publish_now_refuses_blocked_text_before_calling_the_platform(api, owner, account):
    post = _post(owner, BLOCKED)

    response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")

    _assert_blocked(response)
    assert not SandboxPost.objects.exists()
    assert not PublishResult.objects.exists()


def test_scheduling_through_the_publish_api_refuses_blocked_text(api, owner, account):
    post = _post(owner, BLOCKED)

    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "platforms": ["sandbox"], "publishAt": "2031-01-01T09:00:00Z"},
        format="json",
    )

    _assert_blocked(response)
    assert not post.scheduled_posts.exists()


def test_bulk_publish_refuses_the_whole_batch_when_one_post_is_blocked(api, owner, account):
    clean, bad = _post(owner, "A clean launch note."), _post(owner, BLOCKED)

    response = api.post(
        "/api/social/bulk-publish",
        {"postIds": [str(clean.pk), str(bad.pk)], "accountIds": [str(account.pk)]},
        format="json",
    )

    _assert_blocked(response)
    assert not SandboxPost.objects.exists()


def test_flagged_text_waits_for_a_moderator_then_publishes(api, owner, account):
    post = _post(owner, FLAGGED)

    held = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")

    assert held.status_code == 422
    assert held.json()["error"]["details"]["code"] == "NEEDS_REVIEW"
    case = ModerationCase.objects.get()
    case.status = "approved"
    case.save()
    published = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")
    assert published.status_code == 200, published.json()
    assert SandboxPost.objects.count() == 1


def test_a_delivery_is_checked_again_when_it_goes_out(owner, account):
    # given a post that was clean when queued and was edited into blocked text afterwards
    post = _post(owner, "A clean launch note.")
    result = publish_result_prepare(post=post, account=account)
    ContentPost.objects.filter(pk=post.pk).update(content=BLOCKED)

    delivered = publish_result_deliver(result_id=result.pk)

    assert delivered.status == PublishStatus.FAILED
    assert delivered.error.startswith("Moderation:")
    assert not SandboxPost.objects.exists()


def test_generated_text_carries_the_moderation_decision(api):
    response = api.post(
        "/api/content/generate",
        {
            "prompt": "coffee shop launch",
            "platform": "linkedin",
            "tone": "friendly",
            "audience": "locals",
            "contentType": "CAPTION",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["metadata"]["moderation"]["decision"] in {"allow", "flag"}


def test_the_spec_schedule_endpoint_refuses_blocked_text(api, owner, account):
    post = _post(owner, BLOCKED)

    response = api.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": "2031-01-01T09:00:00Z", "platforms": ["sandbox"]},
        format="json",
    )

    _assert_blocked(response)
    assert not post.scheduled_posts.exists()


def test_a_scheduled_post_edited_into_blocked_text_fails_at_dispatch(
    owner, account, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from scheduling.models import ScheduledPost, ScheduleStatus
    from scheduling.services import dispatch_due_posts, post_schedule

    post = _post(owner, "A clean launch note.")
    [row] = post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(minutes=5), tz="UTC").scheduled
    ContentPost.objects.filter(pk=post.pk).update(content=BLOCKED)
    ScheduledPost.objects.filter(pk=row.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_posts()

    row.refresh_from_db()
    assert row.status == ScheduleStatus.FAILED
    assert row.last_error.startswith("Moderation:")
    assert not SandboxPost.objects.exists()


# --- the dashboard's paths: the same refusals, with the reasons shown to the author ---------------


@pytest.fixture
def browser(client, owner):
    client.force_login(owner)
    return client


def test_dashboard_publish_now_refuses_blocked_text_and_shows_why(browser, owner, account):
    post = _post(owner, BLOCKED)

    response = browser.post(
        f"/social/publish/{post.pk}/submit/", {"account_ids": [str(account.pk)], "mode": "now"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert 'data-testid="publish-moderation"' in html and "Blocked" in html
    assert "severe profanity" in html.lower() or "profan" in html.lower()  # the reason, not only "blocked"
    case = ModerationCase.objects.get()
    assert f"/moderation/cases/{case.pk}/" in html
    assert not SandboxPost.objects.exists() and not PublishResult.objects.exists()


def test_dashboard_schedule_refuses_blocked_text(browser, owner, account):
    post = _post(owner, BLOCKED)

    response = browser.post(
        f"/social/publish/{post.pk}/submit/",
        {"account_ids": [str(account.pk)], "mode": "schedule", "publish_at": "2031-01-01T09:00", "timezone": "UTC"},
        follow=True,
    )

    assert "This content was blocked by moderation." in response.content.decode()
    assert not post.scheduled_posts.exists()


def test_calendar_schedule_form_refuses_blocked_text_and_says_why(browser, owner, account):
    post = _post(owner, BLOCKED)

    response = browser.post(
        "/calendar/schedule/",
        {"post": str(post.pk), "accounts": [str(account.pk)], "when": "2031-01-01T09:00"},
        follow=True,
    )

    html = response.content.decode()
    assert "This content was blocked by moderation." in html
    reason = ModerationCase.objects.get().reasons[0]["message"]
    assert reason and escape(reason) in html
    assert not post.scheduled_posts.exists()


def test_dashboard_bulk_action_refuses_the_batch_when_one_post_is_blocked(browser, owner, account):
    clean, bad = _post(owner, "A clean launch note."), _post(owner, BLOCKED)

    response = browser.post(
        "/social/bulk/", {"post_ids": [str(clean.pk), str(bad.pk)], "account_ids": [str(account.pk)], "mode": "now"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="bulk-error"' in html and "Blocked" in html
    assert not SandboxPost.objects.exists() and not PublishResult.objects.exists()
