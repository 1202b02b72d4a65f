"""The embedded default end to end: connect the sandbox, publish, publish again, metrics later."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from analytics.models import ContentAnalytics
from analytics.tasks import fetch_due_metrics
from content.models import PostStatus
from social.models import PublishResult, SandboxPost, SocialAccount

pytestmark = pytest.mark.django_db


def test_connect_publish_retry_and_metrics(api, post, connect_sandbox):
    # given a connected sandbox account
    account = connect_sandbox()
    assert account["platform"] == "sandbox"
    assert account["health"]["status"] == "healthy"
    assert "accessToken" not in account and "refreshToken" not in account
    assert account["tokenExpiresAt"]

    # when the post is published
    response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")

    # then one delivery, one SUCCESS result in the spec's shape
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    (result,) = body["results"]
    assert set(result) >= {
        "id",
        "postId",
        "socialAccountId",
        "platform",
        "platformPostId",
        "status",
        "publishedAt",
        "error",
        "url",
    }
    assert result["status"] == "SUCCESS"
    assert result["socialAccountId"] == account["id"]
    assert SandboxPost.objects.count() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED

    # when the same publish is sent again
    again = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")

    # then nothing new reaches the platform and the same result comes back
    assert again.status_code == 200
    assert again.json()["results"][0]["id"] == result["id"]
    assert SandboxPost.objects.count() == 1
    assert PublishResult.objects.count() == 1

    # later, the metrics beat stores a snapshot that grew with time
    with time_machine.travel(timezone.now() + timedelta(hours=6)):
        assert fetch_due_metrics.delay().get() == 1
        first = ContentAnalytics.objects.get()
    with time_machine.travel(timezone.now() + timedelta(hours=30)):
        fetch_due_metrics.delay().get()
        analytics = api.get("/api/social/analytics", {"accountId": account["id"], "timeRange": "7d"})
    assert ContentAnalytics.objects.count() == 2
    latest = ContentAnalytics.objects.order_by("-recorded_at").first()
    assert latest.impressions >= first.impressions > 0
    expected_rate = (latest.likes + latest.comments + latest.shares + latest.clicks) / latest.impressions
    assert latest.engagement_rate == pytest.approx(expected_rate, rel=1e-4)
    assert analytics.status_code == 200
    data = analytics.json()["data"]
    assert data["totals"]["posts"] == 1
    assert data["totals"]["impressions"] == latest.impressions
    assert len(data["series"]) >= 1


def test_reconnecting_the_same_profile_updates_one_account(connect_sandbox):
    first = connect_sandbox("same")
    second = connect_sandbox("same")
    assert first["id"] == second["id"]
    assert SocialAccount.objects.count() == 1


def test_plan_limit_on_social_accounts(connect_sandbox, api):
    for n in range(3):  # the FREE plan allows 3
        connect_sandbox(f"profile-{n}")
    response = api.post("/api/social/connect", {"platform": "sandbox", "authCode": "one-too-many"}, format="json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "QUOTA_EXCEEDED"
    assert SocialAccount.objects.count() == 3


def test_refused_code_is_a_validation_error(api):
    response = api.post("/api/social/connect", {"platform": "sandbox", "authCode": "denied"}, format="json")
    assert response.status_code == 400
    assert "authCode" in response.json()["error"]["details"]
    assert not SocialAccount.objects.exists()


def test_disconnect_forgets_tokens(api, connect_sandbox):
    account = connect_sandbox()
    response = api.delete(f"/api/social/accounts/{account['id']}/")
    assert response.status_code == 204
    row = SocialAccount.objects.get()
    assert not row.is_active and row.access_token == "" and row.refresh_token == ""
    assert api.get("/api/social/accounts/").json()["count"] == 0


def test_publish_in_the_future_stores_pending_schedules(api, post, connect_sandbox):
    connect_sandbox()
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "platforms": ["sandbox"], "publishAt": at.isoformat(), "timezone": "Europe/Madrid"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"] == []
    (scheduled,) = body["scheduledPosts"]
    assert scheduled["status"] == "PENDING" and scheduled["timezone"] == "Europe/Madrid"
    assert not SandboxPost.objects.exists()
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED


def test_publishing_now_waits_for_the_teams_approval(api, user, post, connect_sandbox):
    from content.workflow import post_approve, post_submit
    from teams.models import Membership
    from teams.permissions import team_context
    from teams.tests.factories import MembershipFactory

    connect_sandbox()
    team = post.team
    team.requires_approval = True
    team.save(update_fields=["requires_approval"])

    # when the author publishes an unapproved post now
    refused = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")
    bulk = api.post(
        "/api/social/bulk-publish",
        {"postIds": [str(post.pk)], "accountIds": [str(SocialAccount.objects.get().pk)]},
        format="json",
    )

    # then nothing reaches the platform and the error says why
    assert refused.status_code == 409, refused.content
    assert "approval" in refused.json()["error"]["message"]
    assert bulk.status_code == 409, bulk.content
    assert SandboxPost.objects.count() == 0 and PublishResult.objects.count() == 0

    # once a reviewer approves it, the same request publishes it
    reviewer = MembershipFactory(team=team, role=Membership.Role.REVIEWER).user
    post_submit(ctx=team_context(user=user, requested_team_id=str(team.pk)), post=post)
    post_approve(ctx=team_context(user=reviewer, requested_team_id=str(team.pk)), post=post)
    allowed = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")
    assert allowed.status_code == 200, allowed.content
    assert SandboxPost.objects.count() == 1
