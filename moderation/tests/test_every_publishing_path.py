"""Blocked content is refused by every path that saves or publishes it; flagged content waits for review."""

from __future__ import annotations

import pytest
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
