"""The services with a real connector over HTTP (respx): Mastodon, the one platform with an Idempotency-Key.

Connect through the API (app registration on the server, code exchange, instance limits), publish with the
delivery's idempotency key, recover a lost answer by reading back, then 429 with a reset and a revoked token.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from content.tests.factories import ContentPostFactory
from social.models import AccountHealth, PublishResult, PublishStatus, SocialAccount
from social.services.publishing import publish_result_deliver
from teams.models import Notification

pytestmark = pytest.mark.django_db

INSTANCE = "https://fosstodon.example"
ME = {"id": "109000000000000001", "username": "acme", "acct": "acme", "display_name": "Acme"}


def _status(status_id: str, text: str) -> dict:
    return {
        "id": status_id,
        "created_at": "2026-11-20T10:00:00.000Z",
        "url": f"{INSTANCE}/@acme/{status_id}",
        "content": f"<p>{text}</p>",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
    }


@pytest.fixture
def mastodon():
    with respx.mock(assert_all_called=False) as router:
        router.post(f"{INSTANCE}/api/v1/apps").respond(200, json={"client_id": "cid", "client_secret": "csecret"})
        router.post(f"{INSTANCE}/oauth/token").respond(
            200, json={"access_token": "mastodon-live-token", "token_type": "Bearer", "scope": "write:statuses"}
        )
        router.get(f"{INSTANCE}/api/v1/accounts/verify_credentials").respond(200, json=ME)
        router.get(f"{INSTANCE}/api/v2/instance").respond(
            200, json={"configuration": {"statuses": {"max_characters": 800, "max_media_attachments": 4}}}
        )
        yield router


@pytest.fixture
def account(api, mastodon):
    response = api.post(
        "/api/social/connect",
        {
            "platform": "mastodon",
            "authCode": "code",
            "redirectUri": "https://app.test/cb",
            "instanceUrl": "fosstodon.example",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()["account"]
    assert body["metadata"]["instanceUrl"] == INSTANCE and body["metadata"]["maxCharacters"] == 800
    assert b"mastodon-live-token" not in response.content
    return SocialAccount.objects.get(pk=body["id"])


def test_lost_answer_is_read_back_not_posted_twice(api, user, account, mastodon):
    post = ContentPostFactory(author=user, content="Hello fediverse", hashtags=[])
    statuses = mastodon.post(f"{INSTANCE}/api/v1/statuses").mock(
        side_effect=[httpx.Response(503, json={"error": "Service unavailable"})]
    )
    (first,) = api.post(
        "/api/social/publish", {"postId": str(post.pk), "platforms": ["mastodon"]}, format="json"
    ).json()["results"]
    assert first["status"] == "PENDING"
    result = PublishResult.objects.get()
    assert statuses.calls.last.request.headers["Idempotency-Key"] == result.idempotency_key
    account.refresh_from_db()
    assert account.is_active and account.health == AccountHealth.DEGRADED

    # the platform did create it after all: the retry finds it and posts nothing
    mastodon.get(f"{INSTANCE}/api/v1/accounts/{ME['id']}/statuses").respond(
        200, json=[_status("42", "Hello fediverse")]
    )
    PublishResult.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    done = publish_result_deliver(result_id=result.pk)

    assert done.status == PublishStatus.SUCCESS and done.platform_post_id == "42"
    assert statuses.call_count == 1


def test_rate_limit_reset_and_revoked_token(api, user, account, mastodon):
    reset = (datetime.now(tz=UTC) + timedelta(minutes=4)).isoformat()
    mastodon.post(f"{INSTANCE}/api/v1/statuses").mock(
        side_effect=[
            httpx.Response(429, json={"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset}),
            httpx.Response(401, json={"error": "The access token is invalid"}),
        ]
    )
    limited, revoked = ContentPostFactory.create_batch(2, author=user, hashtags=[])
    api.post("/api/social/publish", {"postId": str(limited.pk), "platforms": ["mastodon"]}, format="json")
    row = PublishResult.objects.get(post=limited)
    assert row.status == PublishStatus.PENDING and row.error_kind == "rate_limited"
    assert row.next_attempt_at >= timezone.now() + timedelta(minutes=3)

    response = api.post("/api/social/publish", {"postId": str(revoked.pk), "platforms": ["mastodon"]}, format="json")
    assert response.json()["results"][0]["status"] == "FAILED"
    account.refresh_from_db()
    assert account.health == AccountHealth.NEEDS_RECONNECT
    assert Notification.objects.filter(user=user).count() == 1
