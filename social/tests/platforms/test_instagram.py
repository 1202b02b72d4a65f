from __future__ import annotations

from urllib.parse import parse_qs

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
from social.platforms.instagram.connector import InstagramConnector

GRAPH = "https://graph.instagram.com/v25.0"
IG_USER = "17841400008460056"


@pytest.fixture
def connector(http_client: httpx.Client) -> InstagramConnector:
    return InstagramConnector(config=PlatformConfig(client_id="ig-app", client_secret="ig-secret"), http=http_client)


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(account_id=IG_USER, account_name="@acme", access_token="IGQV-long")


def image(url: str = "https://cdn.app.test/a.jpg") -> MediaItem:
    return MediaItem(url=url, content_type="image/jpeg", size_bytes=1000, width=1080, height=1080)


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def test_exchange_code_then_long_lived_token(connector: InstagramConnector, mock_http: respx.MockRouter) -> None:
    code = mock_http.post("https://api.instagram.com/oauth/access_token").respond(
        200,
        json={
            "data": [
                {
                    "access_token": "IGQV-short",
                    "user_id": IG_USER,
                    "permissions": "instagram_business_basic,instagram_business_content_publish",
                }
            ]
        },
    )
    exchange = mock_http.get("https://graph.instagram.com/access_token").respond(
        200, json={"access_token": "IGQV-long", "token_type": "bearer", "expires_in": 5183944}
    )
    mock_http.get(f"{GRAPH}/me").respond(200, json={"user_id": IG_USER, "username": "acme", "id": "app-scoped"})

    tokens = connector.exchange_code(code="AQB", redirect_uri="https://app.test/cb")

    assert form(code.calls.last.request) == {
        "client_id": "ig-app",
        "client_secret": "ig-secret",
        "grant_type": "authorization_code",
        "redirect_uri": "https://app.test/cb",
        "code": "AQB",
    }
    params = exchange.calls.last.request.url.params
    assert (params["grant_type"], params["access_token"], params["client_secret"]) == (
        "ig_exchange_token",
        "IGQV-short",
        "ig-secret",
    )
    assert tokens.access_token == "IGQV-long" and tokens.account_id == IG_USER and tokens.account_name == "@acme"
    assert tokens.expires_at is not None
    assert "instagram_business_content_publish" in tokens.scopes


def test_refresh_uses_ig_refresh_token(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get("https://graph.instagram.com/refresh_access_token").respond(
        200, json={"access_token": "IGQV-new", "token_type": "bearer", "expires_in": 5183944}
    )
    tokens = connector.refresh(account)
    assert route.calls.last.request.url.params["grant_type"] == "ig_refresh_token"
    assert tokens.access_token == "IGQV-new"


def test_revoked_token_is_auth(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://graph.instagram.com/refresh_access_token").respond(
        400,
        json={
            "error": {
                "message": "Error validating access token: The user has not authorized application.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 458,
                "fbtrace_id": "A1",
            }
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH and caught.value.platform_code == "190/458"


def test_publish_single_image(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    create = mock_http.post(f"{GRAPH}/{IG_USER}/media").respond(200, json={"id": "1790000001"})
    status = mock_http.get(f"{GRAPH}/1790000001").respond(200, json={"status_code": "FINISHED", "id": "1790000001"})
    publish = mock_http.post(f"{GRAPH}/{IG_USER}/media_publish").respond(200, json={"id": "1790000099"})
    mock_http.get(f"{GRAPH}/1790000099").respond(
        200,
        json={
            "id": "1790000099",
            "caption": "Hello",
            "media_type": "IMAGE",
            "permalink": "https://www.instagram.com/p/Cabc/",
            "timestamp": "2026-11-20T10:00:00+0000",
        },
    )

    published = connector.publish(account, PublishRequest(text="Hello", idempotency_key="k", media=[image()]))

    assert form(create.calls.last.request) == {
        "image_url": "https://cdn.app.test/a.jpg",
        "caption": "Hello",
        "access_token": "IGQV-long",
    }
    assert status.calls.last.request.url.params["fields"] == "status_code,status"
    assert form(publish.calls.last.request) == {"creation_id": "1790000001", "access_token": "IGQV-long"}
    assert published.platform_post_id == "1790000099"
    assert published.url == "https://www.instagram.com/p/Cabc/"


def test_publish_carousel_and_reel_child(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    ids = iter(["c1", "c2", "parent"])
    create = mock_http.post(f"{GRAPH}/{IG_USER}/media").mock(
        side_effect=lambda request: httpx.Response(200, json={"id": next(ids)})
    )
    for container in ("c1", "c2", "parent"):
        mock_http.get(f"{GRAPH}/{container}").respond(200, json={"status_code": "FINISHED"})
    mock_http.post(f"{GRAPH}/{IG_USER}/media_publish").respond(200, json={"id": "m1"})
    mock_http.get(f"{GRAPH}/m1").respond(200, json={"id": "m1", "permalink": "https://www.instagram.com/p/X/"})

    video = MediaItem(url="https://cdn.app.test/v.mp4", content_type="video/mp4", size_bytes=10, duration_seconds=9)
    connector.publish(account, PublishRequest(text="Both", idempotency_key="k", media=[image(), video]))

    bodies = [form(call.request) for call in create.calls]
    assert bodies[0] == {
        "image_url": "https://cdn.app.test/a.jpg",
        "is_carousel_item": "true",
        "access_token": "IGQV-long",
    }
    assert bodies[1] == {
        "media_type": "VIDEO",
        "video_url": "https://cdn.app.test/v.mp4",
        "is_carousel_item": "true",
        "access_token": "IGQV-long",
    }
    assert bodies[2] == {"media_type": "CAROUSEL", "children": "c1,c2", "caption": "Both", "access_token": "IGQV-long"}


def test_container_error_is_content(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{GRAPH}/{IG_USER}/media").respond(200, json={"id": "c1"})
    mock_http.get(f"{GRAPH}/c1").respond(200, json={"status_code": "ERROR", "status": "Error: 2207026"})
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[image()]))
    assert caught.value.kind is ErrorKind.CONTENT


@pytest.mark.parametrize(
    ("status", "error", "kind"),
    [
        (400, {"message": "Media download has failed.", "code": 9004, "error_subcode": 2207052}, ErrorKind.CONTENT),
        (400, {"message": "Application request limit reached", "code": 4}, ErrorKind.RATE_LIMITED),
        (
            400,
            {"message": "The user is performing too many actions", "code": 9, "error_subcode": 2207042},
            ErrorKind.RATE_LIMITED,
        ),
        (500, {"message": "An unknown error occurred", "code": 1, "is_transient": True}, ErrorKind.TRANSIENT),
    ],
)
def test_graph_error_classes(
    connector: InstagramConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    error: dict,
    kind: ErrorKind,
) -> None:
    mock_http.post(f"{GRAPH}/{IG_USER}/media").respond(status, json={"error": {"type": "OAuthException", **error}})
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[image()]))
    assert caught.value.kind is kind
    if kind is ErrorKind.RATE_LIMITED:
        assert caught.value.retry_after and caught.value.retry_after > 0


def test_throttle_wait_from_business_usage_header(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{GRAPH}/{IG_USER}/media").respond(
        400,
        json={"error": {"message": "User request limit reached", "type": "OAuthException", "code": 17}},
        headers={
            "X-Business-Use-Case-Usage": '{"112130216863063":[{"type":"instagram","call_count":100,'
            '"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":7}]}'
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[image()]))
    assert caught.value.kind is ErrorKind.RATE_LIMITED and caught.value.retry_after == 420


def test_fetch_post_missing_is_none(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/gone").respond(
        400,
        json={
            "error": {
                "message": "Unsupported get request. Object with ID 'gone' does not exist",
                "type": "GraphMethodException",
                "code": 100,
                "error_subcode": 33,
            }
        },
    )
    assert connector.fetch_post(account, "gone") is None


def test_fetch_metrics_uses_views(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/m1").respond(200, json={"like_count": 5, "comments_count": 1, "id": "m1"})
    insights = mock_http.get(f"{GRAPH}/m1/insights").respond(
        200,
        json={
            "data": [
                {
                    "name": "views",
                    "period": "lifetime",
                    "values": [{"value": 1200}],
                    "id": "m1/insights/views/lifetime",
                },
                {"name": "reach", "period": "lifetime", "values": [{"value": 800}]},
                {"name": "likes", "period": "lifetime", "values": [{"value": 6}]},
                {"name": "comments", "period": "lifetime", "values": [{"value": 2}]},
                {"name": "shares", "period": "lifetime", "values": [{"value": 3}]},
            ]
        },
    )
    metrics = connector.fetch_metrics(account, "m1")
    requested = insights.calls.last.request.url.params["metric"].split(",")
    assert "views" in requested and "impressions" not in requested and "plays" not in requested
    assert (metrics.views, metrics.reach, metrics.likes, metrics.comments, metrics.shares) == (1200, 800, 6, 2, 3)


def test_fetch_metrics_not_enough_viewers_keeps_counts(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/m1").respond(200, json={"like_count": 5, "comments_count": 1, "id": "m1"})
    mock_http.get(f"{GRAPH}/m1/insights").respond(
        400, json={"error": {"message": "(#10) Not enough viewers for the media to show insights", "code": 10}}
    )
    metrics = connector.fetch_metrics(account, "m1")
    assert (metrics.likes, metrics.comments, metrics.views) == (5, 1, 0)


def test_rate_budget_reads_content_publishing_limit(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get(f"{GRAPH}/{IG_USER}/content_publishing_limit").respond(
        200, json={"data": [{"quota_usage": 2, "config": {"quota_total": 25, "quota_duration": 86400}}]}
    )
    budget = connector.rate_budget(account)
    assert route.calls.last.request.url.params["fields"] == "quota_usage,config"
    assert budget is not None and (budget.remaining, budget.limit) == (23, 25)


def test_find_existing_by_caption(
    connector: InstagramConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{GRAPH}/{IG_USER}/media").respond(
        200,
        json={
            "data": [
                {
                    "id": "m9",
                    "caption": "Hello",
                    "permalink": "https://www.instagram.com/p/Z/",
                    "timestamp": "2026-11-20T10:00:00+0000",
                }
            ]
        },
    )
    found = connector.find_existing(account, PublishRequest(text="Hello", idempotency_key="k", media=[image()]))
    assert found is not None and found.platform_post_id == "m9"


def test_validate_requires_public_https_media(connector: InstagramConnector) -> None:
    codes = {p.code for p in connector.validate(PublishRequest(text="x", idempotency_key="k"))}
    assert "media_required" in codes
    private = image("http://localhost:8000/media/a.jpg")
    codes = {p.code for p in connector.validate(PublishRequest(text="x", idempotency_key="k", media=[private]))}
    assert "media_not_public" in codes
