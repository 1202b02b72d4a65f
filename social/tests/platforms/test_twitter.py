from __future__ import annotations

import base64
import json
import time
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
from social.platforms.twitter.connector import TwitterConnector

API = "https://api.x.com"


@pytest.fixture
def connector(http_client: httpx.Client) -> TwitterConnector:
    return TwitterConnector(config=PlatformConfig(client_id="cid", client_secret="csecret"), http=http_client)


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id="2244994945",
        account_name="@acme",
        access_token="user-token",
        refresh_token="refresh-1",
        metadata={"username": "acme"},
    )


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_authorize_url_uses_pkce_s256(connector: TwitterConnector) -> None:
    url = connector.authorize_url(state="st", redirect_uri="https://app.test/cb", code_challenge="chal")
    parsed = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == "https://x.com/i/oauth2/authorize"
    assert query["code_challenge"] == "chal"
    assert query["code_challenge_method"] == "S256"
    assert "offline.access" in query["scope"].split() and "tweet.write" in query["scope"].split()


def test_exchange_code_sends_basic_auth_and_verifier(connector: TwitterConnector, mock_http: respx.MockRouter) -> None:
    token = mock_http.post(f"{API}/2/oauth2/token").respond(
        200,
        json={
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": "at-1",
            "scope": "tweet.write tweet.read users.read offline.access",
            "refresh_token": "rt-1",
        },
    )
    mock_http.get(f"{API}/2/users/me").respond(
        200, json={"data": {"id": "2244994945", "name": "Acme", "username": "acme"}}
    )

    tokens = connector.exchange_code(code="the-code", redirect_uri="https://app.test/cb", code_verifier="verifier")

    request = token.calls.last.request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert form(request) == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": "https://app.test/cb",
        "code_verifier": "verifier",
    }
    assert tokens.access_token == "at-1" and tokens.refresh_token == "rt-1"
    assert tokens.account_id == "2244994945" and tokens.account_name == "@acme"
    assert tokens.expires_at is not None and "offline.access" in tokens.scopes


def test_public_client_sends_client_id_in_body(http_client: httpx.Client, mock_http: respx.MockRouter) -> None:
    connector = TwitterConnector(config=PlatformConfig(client_id="cid"), http=http_client)
    token = mock_http.post(f"{API}/2/oauth2/token").respond(200, json={"access_token": "a", "expires_in": 7200})
    account = AccountCredentials(account_id="1", account_name="@a", access_token="old", refresh_token="rt-old")

    connector.refresh(account)

    request = token.calls.last.request
    assert "Authorization" not in request.headers
    assert form(request) == {"grant_type": "refresh_token", "refresh_token": "rt-old", "client_id": "cid"}


def test_refresh_rotates_tokens(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/2/oauth2/token").respond(
        200, json={"access_token": "at-2", "refresh_token": "rt-2", "expires_in": 7200, "scope": "tweet.write"}
    )
    tokens = connector.refresh(account)
    assert (tokens.access_token, tokens.refresh_token, tokens.account_id) == ("at-2", "rt-2", "2244994945")


def test_refresh_with_revoked_token_is_auth(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/2/oauth2/token").respond(
        400, json={"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_publish_thread_with_reply_chain(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    ids = iter(["100", "101", "102"])
    rate_headers = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "97", "x-rate-limit-reset": "1900000000"}
    route = mock_http.post(f"{API}/2/tweets").mock(
        side_effect=lambda request: httpx.Response(
            201,
            json={"data": {"id": next(ids), "text": json.loads(request.content)["text"]}},
            headers=rate_headers,
        )
    )

    published = connector.publish(
        account, PublishRequest(text="Part one", idempotency_key="k", thread=["Part two", "Part three"])
    )

    bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [
        {"text": "Part one"},
        {"text": "Part two", "reply": {"in_reply_to_tweet_id": "100"}},
        {"text": "Part three", "reply": {"in_reply_to_tweet_id": "101"}},
    ]
    assert route.calls.last.request.headers["Authorization"] == "Bearer user-token"
    assert published.platform_post_id == "100"
    assert published.url == "https://x.com/acme/status/100"
    assert published.raw["thread_ids"] == ["100", "101", "102"]
    assert published.raw["rate_limit"]["remaining"] == 97


def test_publish_with_media_uses_v2_upload(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://cdn.app.test/cat.png").respond(200, content=b"\x89PNG-bytes")
    init = mock_http.post(f"{API}/2/media/upload/initialize").respond(
        200,
        json={"data": {"id": "1880028106020515840", "media_key": "3_1880028106020515840", "expires_after_secs": 86400}},
    )
    append = mock_http.post(f"{API}/2/media/upload/1880028106020515840/append").respond(200, json={"data": {}})
    mock_http.post(f"{API}/2/media/upload/1880028106020515840/finalize").respond(
        200,
        json={"data": {"id": "1880028106020515840", "processing_info": {"state": "pending", "check_after_secs": 0}}},
    )
    mock_http.get(f"{API}/2/media/upload").respond(
        200, json={"data": {"id": "1880028106020515840", "processing_info": {"state": "succeeded"}}}
    )
    tweet = mock_http.post(f"{API}/2/tweets").respond(201, json={"data": {"id": "9", "text": "Look"}})

    media = MediaItem(url="https://cdn.app.test/cat.png", content_type="image/png", size_bytes=10)
    connector.publish(account, PublishRequest(text="Look", idempotency_key="k", media=[media]))

    assert json.loads(init.calls.last.request.content) == {
        "media_type": "image/png",
        "total_bytes": 10,
        "media_category": "tweet_image",
    }
    assert b'name="segment_index"\r\n\r\n0' in append.calls.last.request.content
    assert json.loads(tweet.calls.last.request.content) == {
        "text": "Look",
        "media": {"media_ids": ["1880028106020515840"]},
    }


def test_duplicate_text_403_is_content(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/2/tweets").respond(
        403,
        json={
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Same again", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.CONTENT
    assert caught.value.platform_code == "duplicate"
    assert "same text" in caught.value.message


def test_rate_limited_uses_reset_header(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    reset = int(time.time()) + 420
    mock_http.post(f"{API}/2/tweets").respond(
        429,
        json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
        headers={"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Hi", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after is not None and 415 <= caught.value.retry_after <= 421


@pytest.mark.parametrize(("status", "kind"), [(401, ErrorKind.AUTH), (503, ErrorKind.TRANSIENT)])
def test_revoked_and_server_errors(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter, status: int, kind: ErrorKind
) -> None:
    mock_http.post(f"{API}/2/tweets").respond(
        status, json={"title": "Unauthorized", "type": "about:blank", "status": status, "detail": "Unauthorized"}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Hi", idempotency_key="k"))
    assert caught.value.kind is kind


def test_network_failure_is_transient(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/2/tweets").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Hi", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.TRANSIENT and caught.value.retryable


def test_fetch_post_and_deleted_post(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{API}/2/tweets/100").respond(
        200,
        json={
            "data": {
                "id": "100",
                "text": "Part one",
                "created_at": "2026-11-20T10:00:00.000Z",
                "author_id": "2244994945",
            }
        },
    )
    mock_http.get(f"{API}/2/tweets/404").respond(
        200,
        json={
            "errors": [
                {
                    "value": "404",
                    "detail": "Could not find tweet with id: [404].",
                    "title": "Not Found Error",
                    "resource_type": "tweet",
                    "type": "https://api.x.com/2/problems/resource-not-found",
                }
            ]
        },
    )
    post = connector.fetch_post(account, "100")
    assert post is not None and post.platform_post_id == "100" and post.published_at is not None
    assert connector.fetch_post(account, "404") is None


def test_fetch_metrics_prefers_non_public(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get(f"{API}/2/tweets/100").respond(
        200,
        json={
            "data": {
                "id": "100",
                "text": "Part one",
                "public_metrics": {
                    "retweet_count": 3,
                    "reply_count": 2,
                    "like_count": 10,
                    "quote_count": 1,
                    "bookmark_count": 0,
                    "impression_count": 500,
                },
                "non_public_metrics": {"impression_count": 510, "url_link_clicks": 7, "user_profile_clicks": 2},
            }
        },
    )
    metrics = connector.fetch_metrics(account, "100")
    assert "non_public_metrics" in route.calls.last.request.url.params["tweet.fields"]
    assert (metrics.likes, metrics.shares, metrics.comments, metrics.impressions, metrics.clicks) == (10, 4, 2, 510, 7)


def test_fetch_metrics_falls_back_to_public_for_old_posts(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "non_public_metrics" in request.url.params["tweet.fields"]:
            return httpx.Response(
                400,
                json={
                    "title": "Invalid Request",
                    "detail": "Non-public metrics only for 30 days",
                    "type": "https://api.x.com/2/problems/invalid-request",
                },
            )
        return httpx.Response(
            200,
            json={"data": {"id": "100", "text": "x", "public_metrics": {"like_count": 4, "impression_count": 90}}},
        )

    mock_http.get(f"{API}/2/tweets/100").mock(side_effect=answer)
    metrics = connector.fetch_metrics(account, "100")
    assert (metrics.likes, metrics.impressions) == (4, 90)


def test_find_existing_matches_recent_text_despite_tco_links(
    connector: TwitterConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{API}/2/users/2244994945/tweets").respond(
        200,
        json={
            "data": [
                {"id": "7", "text": "Other", "created_at": "2026-11-20T09:00:00.000Z"},
                {
                    "id": "8",
                    "text": "Read this &amp; more https://t.co/abc123",
                    "created_at": "2026-11-20T10:00:00.000Z",
                },
            ],
            "meta": {"result_count": 2},
        },
    )
    found = connector.find_existing(
        account, PublishRequest(text="Read this & more https://example.com/a-long-link", idempotency_key="k")
    )
    assert found is not None and found.platform_post_id == "8"
    assert connector.find_existing(account, PublishRequest(text="Never posted", idempotency_key="k")) is None


def test_validate_rejects_video_with_photos(connector: TwitterConnector) -> None:
    video = MediaItem(url="https://a/v.mp4", content_type="video/mp4", size_bytes=10, duration_seconds=10)
    photo = MediaItem(url="https://a/p.jpg", content_type="image/jpeg", size_bytes=10)
    problems = connector.validate(PublishRequest(text="x", idempotency_key="k", media=[video, photo]))
    assert "media_mix" in {p.code for p in problems}


def test_rate_budget_from_saved_headers(connector: TwitterConnector, account: AccountCredentials) -> None:
    assert connector.rate_budget(account) is None
    account.metadata["rate_limit"] = {"limit": 100, "remaining": 12, "reset_at": "2999-01-01T00:00:00+00:00"}
    budget = connector.rate_budget(account)
    assert budget is not None and (budget.remaining, budget.limit) == (12, 100)
