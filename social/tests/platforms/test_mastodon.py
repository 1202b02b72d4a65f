from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import respx

from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    MediaItem,
    PlatformConfig,
    PublishRequest,
)
from social.platforms.mastodon.connector import MastodonConnector

INSTANCE = "https://fosstodon.example"
STATUS = {
    "id": "113000000000000001",
    "created_at": "2026-11-20T10:00:00.000Z",
    "url": f"{INSTANCE}/@acme/113000000000000001",
    "uri": f"{INSTANCE}/users/acme/statuses/113000000000000001",
    "content": '<p>Hello &amp; welcome <a href="https://acme.test/launch" rel="nofollow noopener" target="_blank">'
    '<span class="invisible">https://</span><span class="">acme.test/launch</span></a></p>',
    "visibility": "public",
    "replies_count": 2,
    "reblogs_count": 5,
    "favourites_count": 9,
    "quotes_count": 1,
}


@pytest.fixture
def connector(http_client: httpx.Client) -> MastodonConnector:
    return MastodonConnector(
        config=PlatformConfig(client_id="m-id", client_secret="m-secret", api_base=INSTANCE), http=http_client
    )


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id="109000000000000001",
        account_name="@acme@fosstodon.example",
        access_token="m-token",
        metadata={"instance_url": INSTANCE, "max_characters": 1000, "max_media_attachments": 4},
    )


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_register_app(connector: MastodonConnector, mock_http: respx.MockRouter) -> None:
    route = mock_http.post(f"{INSTANCE}/api/v1/apps").respond(
        200,
        json={
            "id": "563419",
            "name": "ContentGenAI",
            "website": "",
            "redirect_uri": "https://app.test/cb",
            "client_id": "new-id",
            "client_secret": "new-secret",
        },
    )
    assert connector.register_app(redirect_uri="https://app.test/cb") == ("new-id", "new-secret")
    sent = form(route.calls.last.request)
    assert sent["redirect_uris"] == "https://app.test/cb" and "write:statuses" in sent["scopes"].split()


def test_authorize_url_on_the_instance_with_pkce(connector: MastodonConnector) -> None:
    parsed = urlparse(connector.authorize_url(state="s", redirect_uri="https://app.test/cb", code_challenge="ch"))
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == f"{INSTANCE}/oauth/authorize"
    assert (query["client_id"], query["code_challenge"], query["code_challenge_method"]) == ("m-id", "ch", "S256")


def test_exchange_code_stores_instance_limits(connector: MastodonConnector, mock_http: respx.MockRouter) -> None:
    token = mock_http.post(f"{INSTANCE}/oauth/token").respond(
        200,
        json={
            "access_token": "m-token",
            "token_type": "Bearer",
            "scope": "read:accounts write:statuses",
            "created_at": 1763632800,
        },
    )
    mock_http.get(f"{INSTANCE}/api/v1/accounts/verify_credentials").respond(
        200, json={"id": "109000000000000001", "username": "acme", "acct": "acme", "display_name": "Acme"}
    )
    mock_http.get(f"{INSTANCE}/api/v2/instance").respond(
        200,
        json={
            "domain": "fosstodon.example",
            "configuration": {
                "statuses": {"max_characters": 1000, "max_media_attachments": 4, "characters_reserved_per_url": 23},
                "media_attachments": {"image_size_limit": 16777216, "video_size_limit": 103809024},
            },
        },
    )
    tokens = connector.exchange_code(code="c", redirect_uri="https://app.test/cb", code_verifier="ver")

    sent = form(token.calls.last.request)
    assert (sent["grant_type"], sent["code"], sent["code_verifier"], sent["client_secret"]) == (
        "authorization_code",
        "c",
        "ver",
        "m-secret",
    )
    assert tokens.account_name == "@acme@fosstodon.example" and tokens.expires_at is None
    assert tokens.metadata["instance_url"] == INSTANCE and tokens.metadata["max_characters"] == 1000


def test_refresh_checks_token_and_revoked_is_auth(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{INSTANCE}/api/v1/accounts/verify_credentials").respond(
        401, json={"error": "The access token is invalid"}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_publish_thread_with_idempotency_keys(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    ids = iter(["1", "2"])
    reset = (datetime.now(tz=UTC) + timedelta(minutes=4)).isoformat()
    route = mock_http.post(f"{INSTANCE}/api/v1/statuses").mock(
        side_effect=lambda r: httpx.Response(
            200,
            json={**STATUS, "id": next(ids)},
            headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "298", "X-RateLimit-Reset": reset},
        )
    )
    published = connector.publish(account, PublishRequest(text="One", idempotency_key="post-1:acct-1", thread=["Two"]))

    first, second = route.calls[0].request, route.calls[1].request
    assert first.headers["Idempotency-Key"] == "post-1:acct-1"
    assert second.headers["Idempotency-Key"] == "post-1:acct-1:1"
    assert first.headers["Authorization"] == "Bearer m-token"
    assert json.loads(first.content) == {"status": "One", "visibility": "public"}
    assert json.loads(second.content) == {"status": "Two", "visibility": "public", "in_reply_to_id": "1"}
    assert published.platform_post_id == "1" and published.raw["rate_limit"]["remaining"] == 298
    assert connector.supports_idempotency_key


def test_publish_with_media_waits_for_processing(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://cdn.app.test/clip.mp4").respond(200, content=b"mp4")
    upload = mock_http.post(f"{INSTANCE}/api/v2/media").respond(202, json={"id": "22", "type": "video", "url": None})
    mock_http.get(f"{INSTANCE}/api/v1/media/22").respond(
        200, json={"id": "22", "type": "video", "url": f"{INSTANCE}/m/22.mp4"}
    )
    status = mock_http.post(f"{INSTANCE}/api/v1/statuses").respond(200, json=STATUS)
    item = MediaItem(url="https://cdn.app.test/clip.mp4", content_type="video/mp4", size_bytes=3, alt_text="A clip")

    connector.publish(account, PublishRequest(text="Watch", idempotency_key="k", media=[item]))

    body = upload.calls.last.request.content
    assert b'name="file"; filename="clip.mp4"' in body and b'name="description"\r\n\r\nA clip' in body
    assert json.loads(status.calls.last.request.content)["media_ids"] == ["22"]


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, {"error": "The access token is invalid"}, ErrorKind.AUTH),
        (422, {"error": "Validation failed: Text can't be blank"}, ErrorKind.CONTENT),
        (503, {"error": "Remote data could not be fetched"}, ErrorKind.TRANSIENT),
    ],
)
def test_error_classes(
    connector: MastodonConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    body: dict,
    kind: ErrorKind,
) -> None:
    mock_http.post(f"{INSTANCE}/api/v1/statuses").respond(status, json=body)
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.kind is kind


def test_rate_limited_with_iso_reset(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    reset = (datetime.now(tz=UTC) + timedelta(seconds=200)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    mock_http.post(f"{INSTANCE}/api/v1/statuses").respond(
        429,
        json={"error": "Too many requests"},
        headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after is not None and 195 <= caught.value.retry_after <= 201


def test_fetch_post_metrics_and_gone(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{INSTANCE}/api/v1/statuses/{STATUS['id']}").respond(200, json=STATUS)
    mock_http.get(f"{INSTANCE}/api/v1/statuses/404").respond(404, json={"error": "Record not found"})
    post = connector.fetch_post(account, STATUS["id"])
    assert post is not None and post.url == STATUS["url"]
    metrics = connector.fetch_metrics(account, STATUS["id"])
    assert (metrics.likes, metrics.shares, metrics.comments, metrics.impressions) == (9, 6, 2, 0)
    assert connector.fetch_post(account, "404") is None


def test_find_existing_compares_plain_text(
    connector: MastodonConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{INSTANCE}/api/v1/accounts/{account.account_id}/statuses").respond(200, json=[STATUS])
    found = connector.find_existing(
        account, PublishRequest(text="Hello & welcome https://acme.test/launch", idempotency_key="k")
    )
    assert found is not None and found.platform_post_id == STATUS["id"]


def test_validate_uses_instance_max_characters(connector: MastodonConnector, account: AccountCredentials) -> None:
    text = "a" * 700
    assert "too_long_thread" not in {
        p.code for p in connector.validate(PublishRequest(text=text, idempotency_key="k"), account=account)
    }
    assert "too_long_thread" in {p.code for p in connector.validate(PublishRequest(text=text, idempotency_key="k"))}
    account.metadata["max_characters"] = 600
    assert "too_long_thread" in {
        p.code for p in connector.validate(PublishRequest(text=text, idempotency_key="k"), account=account)
    }
