"""Publish-now answers what happened: an attempt that breaks unexpectedly is shown as queued, never a 500.

The platform here answers createRecord with 200 and a body missing the record's uri (a proxy, a
half-deployed PDS): the connector cannot read it. The delivery stays claimed and leased, so the
dispatcher sends it (or reads it back) when the lease ends; the user must not be told it failed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import respx
from django.utils import timezone

from social.models import PublishResult, PublishStatus
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

PDS = "https://pds.example.net"


def test_an_unreadable_platform_answer_is_reported_as_queued(api, user, post):
    account = SocialAccountFactory(
        team=user.current_team,
        platform="bluesky",
        account_id="did:plc:abc",
        account_name="@cafe.example",
        token_expires_at=timezone.now() + timedelta(hours=2),
        metadata={"pds": PDS, "did": "did:plc:abc", "handle": "cafe.example"},
    )
    with respx.mock(assert_all_mocked=True) as router:
        created = router.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").respond(200, json={"unexpected": True})
        response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["bluesky"]}, format="json")

    assert created.called
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == ["PENDING"]
    result = PublishResult.objects.get(post=post, social_account=account)
    assert result.status == PublishStatus.PENDING  # queued for the dispatcher, not failed
