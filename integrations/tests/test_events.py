"""Each subscribable event comes from the real action that causes it, once, in camelCase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from analytics.snapshots import metrics_fetch_for_result
from content.collaboration import comment_create
from content.models import PostStatus
from content.services import post_create
from content.tests.factories import ContentPostFactory
from content.workflow import post_approve, post_submit
from core.api.errors import ContentBlocked
from core.events import EVENT_NAMES
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import webhook_endpoint_create, webhook_endpoint_update
from moderation.integration import ensure_publishable
from scheduling.services import post_schedule
from social.models import PublishResult
from social.services.publishing import post_publish
from social.tests.factories import SocialAccountFactory
from teams.permissions import team_context
from teams.tests.factories import crew_create

pytestmark = pytest.mark.django_db


def _subscribe(team, events=EVENT_NAMES) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(team=team, url="https://hooks.example.com/", events=list(events), secret="s")


def _sent(event_type: str) -> list[dict]:
    return [d.payload for d in WebhookDelivery.objects.filter(event_type=event_type).order_by("created_at")]


def test_approval_and_comment_events():
    crew = crew_create()
    _subscribe(crew.team)
    post = post_create(
        ctx=crew.ctx("editor"), title="Roast", content="Our new roast lands Monday.", platform="linkedin"
    )

    comment = comment_create(ctx=crew.ctx("reviewer"), post=post, body="Love it")
    post = post_submit(ctx=crew.ctx("editor"), post=post)
    post_approve(ctx=crew.ctx("reviewer"), post=post)

    [commented] = _sent("comment.added")
    assert commented["data"]["comment"]["id"] == str(comment.pk)
    assert commented["data"]["comment"]["authorId"] == str(crew.users["reviewer"].pk)
    [approved] = _sent("post.approved")
    assert approved["data"]["post"] == {
        "id": str(post.pk),
        "title": "Roast",
        "status": PostStatus.APPROVED,
        "platform": "linkedin",
    }
    assert approved["teamId"] == str(crew.team.pk)


def test_schedule_publish_fail_and_metrics_events(user, team):
    endpoint = _subscribe(team)
    ok_account = SocialAccountFactory(team=team)
    broken = SocialAccountFactory(team=team, metadata={"sandbox_fail": "content"})
    post = ContentPostFactory(author=user, content="Launch day", hashtags=[])

    post_schedule(post=post, accounts=[ok_account], at=timezone.now() + timedelta(days=1), tz="Europe/Madrid")
    other = ContentPostFactory(author=user, content="Another launch", hashtags=[])
    post_publish(post=other, accounts=[ok_account, broken])
    result = PublishResult.objects.get(social_account=ok_account, post=other)
    metrics_fetch_for_result(result_id=result.pk)

    [scheduled] = _sent("post.scheduled")
    assert scheduled["data"]["scheduledPosts"][0]["timezone"] == "Europe/Madrid"
    assert scheduled["data"]["scheduledPosts"][0]["accountId"] == str(ok_account.pk)
    [published] = _sent("post.published")
    assert published["data"]["result"]["accountId"] == str(ok_account.pk)
    [failed] = _sent("post.failed")
    assert failed["data"]["result"]["accountId"] == str(broken.pk) and failed["data"]["result"]["error"]
    [measured] = _sent("metrics.updated")
    assert measured["data"]["post"]["id"] == str(other.pk) and "engagementRate" in measured["data"]["metrics"]
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 4


def test_moderation_case_event_and_only_subscribed_endpoints_get_it(user, team):
    wants = _subscribe(team, ["moderation.case_opened"])
    _subscribe(team, ["post.published"])
    _subscribe(crew_create().team)  # another workspace hears nothing of this one

    with pytest.raises(ContentBlocked):
        ensure_publishable(team=team, text="Damn, this launch went well.", platform="twitter", author=user)

    [delivery] = WebhookDelivery.objects.all()
    assert delivery.endpoint == wants and delivery.payload["data"]["case"]["status"] == "open"


def test_a_rolled_back_action_sends_nothing(user, team):
    _subscribe(team, ["comment.added"])
    post = ContentPostFactory(author=user)
    ctx = team_context(user=user)

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            comment_create(ctx=ctx, post=post, body="Will vanish")
            raise RuntimeError

    assert not WebhookDelivery.objects.exists()


def test_a_new_or_changed_endpoint_hears_the_very_next_event(user, team):
    ctx = team_context(user=user)
    post = ContentPostFactory(author=user)
    comment_create(ctx=ctx, post=post, body="Before any webhook")  # the team's (empty) subscriptions are cached

    endpoint, _secret = webhook_endpoint_create(ctx=ctx, url="https://93.184.216.34/hook", events=["comment.added"])
    comment_create(ctx=ctx, post=post, body="Heard")
    webhook_endpoint_update(ctx=ctx, endpoint=endpoint, events=["post.published"])
    comment_create(ctx=ctx, post=post, body="Not subscribed any more")

    assert [d["data"]["comment"]["body"] for d in _sent("comment.added")] == ["Heard"]
