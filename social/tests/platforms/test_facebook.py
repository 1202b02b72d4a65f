from __future__ import annotations

import json
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
from social.platforms.facebook.connector import FacebookConnector

GRAPH = "https://graph.facebook.com/v25.0"
PAGE = "105420000000001"


@pytest.fixture
def connector(http_client: httpx.Client) -> FacebookConnector:
    return FacebookConnector(config=PlatformConfig(client_id="meta-app", client_secret="meta-secret"), http=http_client)


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id=PAGE, account_name="Acme", access_token="page-token", refresh_token="user-token"
    )


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_authorize_url(connector: FacebookConnector) -> None:
    parsed = urlparse(connector.authorize_url(state="s", redirect_uri="https://app.test/cb"))
    assert f"{parsed.netloc}{parsed.path}" == "www.facebook.com/v25.0/dialog/oauth"
    assert "pages_manage_posts" in parse_qs(parsed.query)["scope"][0].split(",")


def test_exchange_code_returns_first_page(connector: FacebookConnector, mock_http: respx.MockRouter) -> None:
    def token(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("grant_type") == "fb_exchange_token":
            assert request.url.params["fb_exchange_token"] == "short-user"
            return httpx.Response(
                200, json={"access_token": "long-user", "token_type": "bearer", "expires_in": 5183944}
            )
        assert request.url.params["code"] == "the-code"
        assert request.url.params["client_secret"] == "meta-secret"
        return httpx.Response(200, json={"access_token": "short-user", "token_type": "bearer", "expires_in": 3600})

    mock_http.get(f"{GRAPH}/oauth/access_token").mock(side_effect=token)
    accounts = mock_http.get(f"{GRAPH}/me/accounts").respond(
        200,
        json={
            "data": [
                {"id": PAGE, "name": "Acme", "access_token": "page-token", "tasks": ["CREATE_CONTENT", "MANAGE"]},
                {"id": "222", "name": "Side project", "access_token": "page-2", "tasks": ["CREATE_CONTENT"]},
            ],
            "paging": {"cursors": {"before": "a", "after": "b"}},
        },
    )

    tokens = connector.exchange_code(code="the-code", redirect_uri="https://app.test/cb")

    assert accounts.calls.last.request.url.params["access_token"] == "long-user"
    assert (tokens.account_id, tokens.account_name, tokens.access_token) == (PAGE, "Acme", "page-token")
    assert tokens.refresh_token == "long-user" and tokens.expires_at is None
    assert tokens.metadata["pages"] == [{"id": PAGE, "name": "Acme"}, {"id": "222", "name": "Side project"}]
    assert "page-2" not in json.dumps(tokens.metadata)


def test_refresh_reads_page_token_and_can_switch_page(
    connector: FacebookConnector, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/222").respond(200, json={"id": "222", "name": "Side project", "access_token": "page-2"})
    other = AccountCredentials(account_id="222", account_name="", access_token="", refresh_token="user-token")
    tokens = connector.refresh(other)
    assert (tokens.account_id, tokens.access_token, tokens.account_name) == ("222", "page-2", "Side project")


def test_refresh_with_dead_user_token_is_auth(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/{PAGE}").respond(
        400,
        json={
            "error": {
                "message": "Error validating access token: Session has expired",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_publish_text_with_link(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    feed = mock_http.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": f"{PAGE}_900"})
    mock_http.get(f"{GRAPH}/{PAGE}_900").respond(
        200,
        json={
            "id": f"{PAGE}_900",
            "message": "Read",
            "created_time": "2026-11-20T10:00:00+0000",
            "permalink_url": "https://www.facebook.com/acme/posts/900",
        },
    )
    published = connector.publish(account, PublishRequest(text="Read", idempotency_key="k", link="https://acme.test/a"))
    assert form(feed.calls.last.request) == {
        "message": "Read",
        "link": "https://acme.test/a",
        "access_token": "page-token",
    }
    assert published.platform_post_id == f"{PAGE}_900"
    assert published.url == "https://www.facebook.com/acme/posts/900"


def test_publish_photo_uses_post_id(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    photos = mock_http.post(f"{GRAPH}/{PAGE}/photos").respond(200, json={"id": "555", "post_id": f"{PAGE}_901"})
    mock_http.get(f"{GRAPH}/{PAGE}_901").respond(200, json={"id": f"{PAGE}_901", "message": "Pic"})
    item = MediaItem(url="https://cdn.app.test/p.jpg", content_type="image/jpeg", size_bytes=10)
    published = connector.publish(account, PublishRequest(text="Pic", idempotency_key="k", media=[item]))
    assert form(photos.calls.last.request) == {
        "url": "https://cdn.app.test/p.jpg",
        "message": "Pic",
        "access_token": "page-token",
    }
    assert published.platform_post_id == f"{PAGE}_901"


def test_publish_several_photos_attaches_them(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    ids = iter(["p1", "p2"])
    mock_http.post(f"{GRAPH}/{PAGE}/photos").mock(side_effect=lambda r: httpx.Response(200, json={"id": next(ids)}))
    feed = mock_http.post(f"{GRAPH}/{PAGE}/feed").respond(200, json={"id": f"{PAGE}_902"})
    mock_http.get(f"{GRAPH}/{PAGE}_902").respond(200, json={"id": f"{PAGE}_902"})
    items = [MediaItem(url=f"https://cdn.app.test/{n}.jpg", content_type="image/jpeg", size_bytes=10) for n in (1, 2)]
    connector.publish(account, PublishRequest(text="Two", idempotency_key="k", media=items))
    sent = form(feed.calls.last.request)
    assert json.loads(sent["attached_media[0]"]) == {"media_fbid": "p1"}
    assert json.loads(sent["attached_media[1]"]) == {"media_fbid": "p2"}


def test_duplicate_post_506_is_content(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{GRAPH}/{PAGE}/feed").respond(
        400,
        json={
            "error": {
                "message": "Duplicate status message",
                "type": "OAuthException",
                "code": 506,
                "error_subcode": 1455006,
            }
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Again", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.CONTENT and "exact post" in caught.value.message


@pytest.mark.parametrize(
    ("status", "body", "headers", "kind", "retry_after"),
    [
        (
            400,
            {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}},
            {},
            ErrorKind.AUTH,
            None,
        ),
        (
            400,
            {"error": {"message": "Page request limit reached", "code": 32}},
            {"Retry-After": "90"},
            ErrorKind.RATE_LIMITED,
            90,
        ),
        (429, {"error": {"message": "Too many calls", "code": 613}}, {}, ErrorKind.RATE_LIMITED, 300),
        (
            503,
            {"error": {"message": "Service temporarily unavailable", "code": 2, "is_transient": True}},
            {},
            ErrorKind.TRANSIENT,
            None,
        ),
        (502, b"<html>Bad gateway</html>", {}, ErrorKind.TRANSIENT, None),
    ],
)
def test_error_classes(
    connector: FacebookConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    body: object,
    headers: dict,
    kind: ErrorKind,
    retry_after: int | None,
) -> None:
    response = (
        httpx.Response(status, content=body, headers=headers)
        if isinstance(body, bytes)
        else httpx.Response(status, json=body, headers=headers)
    )
    mock_http.post(f"{GRAPH}/{PAGE}/feed").mock(return_value=response)
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.kind is kind
    assert caught.value.retry_after == retry_after


def test_fetch_metrics_uses_views_not_impressions(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    post_id = f"{PAGE}_900"
    mock_http.get(f"{GRAPH}/{post_id}").respond(
        200,
        json={
            "id": post_id,
            "reactions": {"data": [], "summary": {"total_count": 12}},
            "comments": {"data": [], "summary": {"total_count": 4, "order": "ranked"}},
            "shares": {"count": 2},
        },
    )

    def insights(request: httpx.Request) -> httpx.Response:
        metric = request.url.params["metric"]
        assert "impressions" not in metric
        value = {"post_media_view": 340, "post_total_media_view_unique": 210}[metric]
        return httpx.Response(
            200, json={"data": [{"name": metric, "period": "lifetime", "values": [{"value": value}]}]}
        )

    mock_http.get(f"{GRAPH}/{post_id}/insights").mock(side_effect=insights)
    metrics = connector.fetch_metrics(account, post_id)
    assert (metrics.likes, metrics.comments, metrics.shares, metrics.views, metrics.reach) == (12, 4, 2, 340, 210)


def test_fetch_post_deleted_is_none(
    connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/{PAGE}_1").respond(
        400,
        json={
            "error": {
                "message": "Unsupported get request.",
                "type": "GraphMethodException",
                "code": 100,
                "error_subcode": 33,
            }
        },
    )
    assert connector.fetch_post(account, f"{PAGE}_1") is None


def test_find_existing(connector: FacebookConnector, account: AccountCredentials, mock_http: respx.MockRouter) -> None:
    mock_http.get(f"{GRAPH}/{PAGE}/posts").respond(
        200, json={"data": [{"id": f"{PAGE}_7", "message": "Same words", "created_time": "2026-11-20T10:00:00+0000"}]}
    )
    found = connector.find_existing(account, PublishRequest(text="Same words", idempotency_key="k"))
    assert found is not None and found.platform_post_id == f"{PAGE}_7"
    assert connector.find_existing(account, PublishRequest(text="Other", idempotency_key="k")) is None
