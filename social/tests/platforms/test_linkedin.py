from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    MediaItem,
    PlatformConfig,
    PublishRequest,
)
from social.platforms.linkedin.connector import LinkedInConnector
from social.platforms.linkedin.little import RESERVED, escape_commentary, unescape_commentary

API = "https://api.linkedin.com"
URN = "urn:li:share:7141138937766391808"


@pytest.fixture
def connector(http_client: httpx.Client) -> LinkedInConnector:
    return LinkedInConnector(
        config=PlatformConfig(client_id="li-id", client_secret="li-secret", extra={"api_version": "202605"}),
        http=http_client,
    )


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id="782bbtaQ",
        account_name="Ada Lovelace",
        access_token="li-token",
        metadata={"author_urn": "urn:li:person:782bbtaQ"},
    )


def test_authorize_url(connector: LinkedInConnector) -> None:
    url = connector.authorize_url(state="s1", redirect_uri="https://app.test/cb")
    parsed = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert parsed.netloc == "www.linkedin.com" and parsed.path == "/oauth/v2/authorization"
    assert query == {
        "response_type": "code",
        "client_id": "li-id",
        "redirect_uri": "https://app.test/cb",
        "scope": "openid profile w_member_social",
        "state": "s1",
    }


def test_exchange_code_and_userinfo(connector: LinkedInConnector, mock_http: respx.MockRouter) -> None:
    token = mock_http.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        200, json={"access_token": "AQX", "expires_in": 5184000, "scope": "openid,profile,w_member_social"}
    )
    userinfo = mock_http.get(f"{API}/v2/userinfo").respond(
        200, json={"sub": "782bbtaQ", "name": "Ada Lovelace", "given_name": "Ada", "email_verified": True}
    )
    tokens = connector.exchange_code(code="c0de", redirect_uri="https://app.test/cb")

    sent = {k: v[0] for k, v in parse_qs(token.calls.last.request.content.decode()).items()}
    assert sent == {
        "grant_type": "authorization_code",
        "code": "c0de",
        "redirect_uri": "https://app.test/cb",
        "client_id": "li-id",
        "client_secret": "li-secret",
    }
    assert userinfo.calls.last.request.headers["Authorization"] == "Bearer AQX"
    assert (tokens.account_id, tokens.account_name) == ("782bbtaQ", "Ada Lovelace")
    assert tokens.metadata["author_urn"] == "urn:li:person:782bbtaQ"
    assert tokens.scopes == ["openid", "profile", "w_member_social"]


def test_refresh_for_partner_apps(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    account.refresh_token = "rt"
    route = mock_http.post("https://www.linkedin.com/oauth/v2/accessToken").respond(
        200,
        json={
            "access_token": "new",
            "expires_in": 5184000,
            "refresh_token": "rt",
            "refresh_token_expires_in": 31000000,
        },
    )
    tokens = connector.refresh(account)
    assert parse_qs(route.calls.last.request.content.decode())["grant_type"] == ["refresh_token"]
    assert tokens.access_token == "new" and tokens.metadata["author_urn"] == "urn:li:person:782bbtaQ"


def test_refresh_without_refresh_token_is_auth(connector: LinkedInConnector, account: AccountCredentials) -> None:
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_publish_sends_version_headers_and_escaped_commentary(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.post(f"{API}/rest/posts").respond(201, headers={"x-restli-id": URN})

    published = connector.publish(
        account, PublishRequest(text="Launch (beta) at <10am> #AI a_b @you *~[x]{y}|\\", idempotency_key="k")
    )

    request = route.calls.last.request
    assert request.headers["LinkedIn-Version"] == "202605"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["Authorization"] == "Bearer li-token"
    assert json.loads(request.content) == {
        "author": "urn:li:person:782bbtaQ",
        "commentary": "Launch \\(beta\\) at \\<10am\\> #AI a\\_b \\@you \\*\\~\\[x\\]\\{y\\}\\|\\\\",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert published.platform_post_id == URN
    assert published.url == f"https://www.linkedin.com/feed/update/{URN}/"


def test_publish_with_image(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://cdn.app.test/chart.png").respond(200, content=b"png")
    init = mock_http.post(f"{API}/rest/images", params={"action": "initializeUpload"}).respond(
        200,
        json={
            "value": {
                "uploadUrlExpiresAt": 1900000000000,
                "uploadUrl": "https://www.linkedin.com/dms-uploads/abc/uploaded-image/0",
                "image": "urn:li:image:C4E10AQ",
            }
        },
    )
    put = mock_http.put("https://www.linkedin.com/dms-uploads/abc/uploaded-image/0").respond(201)
    post = mock_http.post(f"{API}/rest/posts").respond(201, headers={"x-restli-id": URN})

    item = MediaItem(url="https://cdn.app.test/chart.png", content_type="image/png", size_bytes=3, alt_text="Chart")
    connector.publish(account, PublishRequest(text="Numbers", idempotency_key="k", media=[item]))

    assert json.loads(init.calls.last.request.content) == {
        "initializeUploadRequest": {"owner": "urn:li:person:782bbtaQ"}
    }
    assert put.calls.last.request.content == b"png"
    assert json.loads(post.calls.last.request.content)["content"] == {
        "media": {"id": "urn:li:image:C4E10AQ", "altText": "Chart"}
    }


def test_duplicate_post_422_is_content_with_existing_urn(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/rest/posts").respond(
        422,
        json={
            "errorDetailType": "com.linkedin.common.error.BadRequest",
            "message": f"ERROR :: /commentary :: Content is a duplicate of {URN}",
            "errorDetails": {"inputErrors": [{"description": "Duplicate post is detected", "code": "DUPLICATE_POST"}]},
            "status": 422,
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Again", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.CONTENT
    assert caught.value.platform_code == "DUPLICATE_POST"
    assert caught.value.raw["existing_urn"] == URN


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            401,
            {
                "status": 401,
                "serviceErrorCode": 65601,
                "code": "REVOKED_ACCESS_TOKEN",
                "message": "The token used in the request has been revoked by the user",
            },
            ErrorKind.AUTH,
        ),
        (
            403,
            {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": "Not enough permissions"},
            ErrorKind.AUTH,
        ),
        (429, {"status": 429, "message": "Resource level throttle limit"}, ErrorKind.RATE_LIMITED),
        (504, {"status": 504, "message": "Gateway timeout"}, ErrorKind.TRANSIENT),
    ],
)
def test_error_classes(
    connector: LinkedInConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    body: dict,
    kind: ErrorKind,
) -> None:
    mock_http.post(f"{API}/rest/posts").respond(status, json=body, headers={"Retry-After": "120"})
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Hi", idempotency_key="k"))
    assert caught.value.kind is kind
    if kind is ErrorKind.RATE_LIMITED:
        assert caught.value.retry_after == 120


def test_rate_limit_without_headers_still_has_a_wait(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/rest/posts").respond(429, json={"status": 429, "message": "Too many requests"})
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="Hi", idempotency_key="k"))
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


def test_fetch_post_reads_encoded_urn(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get(f"{API}/rest/posts/urn%3Ali%3Ashare%3A7141138937766391808").respond(
        200,
        json={
            "id": URN,
            "author": "urn:li:person:782bbtaQ",
            "commentary": "Hi",
            "publishedAt": 1763632800000,
            "lifecycleState": "PUBLISHED",
        },
    )
    post = connector.fetch_post(account, URN)
    assert post is not None and post.platform_post_id == URN and post.published_at is not None
    assert route.calls.last.request.headers["LinkedIn-Version"] == "202605"
    mock_http.get(f"{API}/rest/posts/urn%3Ali%3Ashare%3A1").respond(404, json={"status": 404, "message": "Not found"})
    assert connector.fetch_post(account, "urn:li:share:1") is None


def test_fetch_metrics(connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter) -> None:
    mock_http.get(f"{API}/rest/socialMetadata/urn%3Ali%3Ashare%3A7141138937766391808").respond(
        200,
        json={
            "reactionSummaries": {
                "LIKE": {"reactionType": "LIKE", "count": 5},
                "PRAISE": {"reactionType": "PRAISE", "count": 2},
            },
            "commentSummary": {"count": 3, "topLevelCount": 2},
            "entity": URN,
        },
    )

    def analytics(request: httpx.Request) -> httpx.Response:
        counts = {"IMPRESSION": 900, "MEMBERS_REACHED": 600, "RESHARE": 4}
        return httpx.Response(200, json={"elements": [{"count": counts[request.url.params["queryType"]]}]})

    route = mock_http.get(f"{API}/rest/memberCreatorPostAnalytics").mock(side_effect=analytics)
    metrics = connector.fetch_metrics(account, URN)
    assert (metrics.likes, metrics.comments, metrics.impressions, metrics.reach, metrics.shares) == (7, 3, 900, 600, 4)
    assert "entity=(share:urn%3Ali%3Ashare%3A7141138937766391808)" in str(route.calls.last.request.url)


def test_fetch_metrics_without_analytics_scope(
    connector: LinkedInConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{API}/rest/socialMetadata/urn%3Ali%3Ashare%3A7141138937766391808").respond(
        200, json={"reactionSummaries": {}, "commentSummary": {"count": 0}}
    )
    mock_http.get(f"{API}/rest/memberCreatorPostAnalytics").respond(403, json={"status": 403, "message": "denied"})
    assert connector.fetch_metrics(account, URN).impressions == 0


def test_validate_flags_video(connector: LinkedInConnector) -> None:
    video = MediaItem(url="https://a/v.mp4", content_type="video/mp4", size_bytes=10, duration_seconds=10)
    assert "video_unsupported" in {
        p.code for p in connector.validate(PublishRequest(text="x", idempotency_key="k", media=[video]))
    }


# Property 19: Content Publishing and Data Retrieval
@given(st.text(alphabet=st.sampled_from(sorted(RESERVED) + list("ab #1 é😀\n")), max_size=80))
def test_commentary_escaping_round_trips_and_leaves_no_bare_reserved_char(text: str) -> None:
    escaped = escape_commentary(text)
    assert unescape_commentary(escaped) == text
    index = 0
    while index < len(escaped):
        char = escaped[index]
        if char == "\\":
            assert escaped[index + 1] in RESERVED
            index += 2
            continue
        # The only bare reserved character allowed is the # that opens a hashtag element.
        if char in RESERVED:
            assert char == "#" and escaped[index + 1 : index + 2].isalnum()
        index += 1
