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
from social.platforms.tiktok.connector import TikTokConnector, chunk_plan
from social.platforms.tiktok.errors import classify

API = "https://open.tiktokapis.com"
OK = {"code": "ok", "message": "", "log_id": "20261120101010"}
CREATOR = {
    "creator_avatar_url": "https://p16.tiktokcdn.com/a.jpg",
    "creator_username": "acme",
    "creator_nickname": "Acme",
    "privacy_level_options": ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"],
    "comment_disabled": False,
    "duet_disabled": True,
    "stitch_disabled": False,
    "max_video_post_duration_sec": 600,
}


@pytest.fixture
def connector(http_client: httpx.Client) -> TikTokConnector:
    return TikTokConnector(config=PlatformConfig(client_id="tt-key", client_secret="tt-secret"), http=http_client)


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id="open-id-1",
        account_name="@acme",
        access_token="act.1",
        refresh_token="rft.1",
        metadata={"username": "acme"},
    )


def video(size: int = 3) -> MediaItem:
    return MediaItem(url="https://cdn.app.test/v.mp4", content_type="video/mp4", size_bytes=size, duration_seconds=20)


def test_authorize_url(connector: TikTokConnector) -> None:
    parsed = urlparse(connector.authorize_url(state="s", redirect_uri="https://app.test/cb"))
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert f"{parsed.netloc}{parsed.path}" == "www.tiktok.com/v2/auth/authorize/"
    assert query["client_key"] == "tt-key" and query["scope"] == "user.info.basic,video.publish,video.list"


def test_exchange_code(connector: TikTokConnector, mock_http: respx.MockRouter) -> None:
    token = mock_http.post(f"{API}/v2/oauth/token/").respond(
        200,
        json={
            "access_token": "act.1",
            "expires_in": 7200,
            "open_id": "open-id-1",
            "refresh_expires_in": 15552000,
            "refresh_token": "rft.1",
            "scope": "user.info.basic,video.publish",
            "token_type": "Bearer",
        },
    )
    creator = mock_http.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        200, json={"data": CREATOR, "error": OK}
    )

    tokens = connector.exchange_code(code="c", redirect_uri="https://app.test/cb", code_verifier="v")

    assert {k: v[0] for k, v in parse_qs(token.calls.last.request.content.decode()).items()} == {
        "client_key": "tt-key",
        "client_secret": "tt-secret",
        "code": "c",
        "grant_type": "authorization_code",
        "redirect_uri": "https://app.test/cb",
        "code_verifier": "v",
    }
    assert creator.calls.last.request.headers["Authorization"] == "Bearer act.1"
    assert (tokens.account_id, tokens.account_name, tokens.refresh_token) == ("open-id-1", "@acme", "rft.1")
    assert tokens.scopes == ["user.info.basic", "video.publish"]


def test_refresh_rejected_is_auth(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/v2/oauth/token/").respond(
        400, json={"error": "invalid_grant", "error_description": "Refresh token is invalid or expired.", "log_id": "x"}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_refresh_rotates(connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter) -> None:
    route = mock_http.post(f"{API}/v2/oauth/token/").respond(
        200,
        json={
            "access_token": "act.2",
            "refresh_token": "rft.2",
            "expires_in": 7200,
            "open_id": "open-id-1",
            "scope": "video.publish",
        },
    )
    tokens = connector.refresh(account)
    assert parse_qs(route.calls.last.request.content.decode())["grant_type"] == ["refresh_token"]
    assert (tokens.access_token, tokens.refresh_token) == ("act.2", "rft.2")


def test_publish_file_upload(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://cdn.app.test/v.mp4").respond(200, content=b"abc")
    mock_http.post(f"{API}/v2/post/publish/creator_info/query/").respond(200, json={"data": CREATOR, "error": OK})
    init = mock_http.post(f"{API}/v2/post/publish/video/init/").respond(
        200,
        json={
            "data": {
                "publish_id": "v_pub_file~v2-1.7",
                "upload_url": "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=t",
            },
            "error": OK,
        },
    )
    upload = mock_http.put("https://open-upload.tiktokapis.com/video/").respond(201)

    published = connector.publish(account, PublishRequest(text="Dance #fyp", idempotency_key="k", media=[video()]))

    request = init.calls.last.request
    assert request.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert json.loads(request.content) == {
        "post_info": {
            "title": "Dance #fyp",
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": False,
            "disable_duet": True,
            "disable_stitch": False,
            "video_cover_timestamp_ms": 1000,
        },
        "source_info": {"source": "FILE_UPLOAD", "video_size": 3, "chunk_size": 3, "total_chunk_count": 1},
    }
    put = upload.calls.last.request
    assert put.headers["Content-Range"] == "bytes 0-2/3" and put.headers["Content-Type"] == "video/mp4"
    assert put.content == b"abc"
    assert published.platform_post_id == "v_pub_file~v2-1.7" and published.url == ""


def test_publish_pull_from_url_and_self_only_for_unaudited(
    http_client: httpx.Client, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    connector = TikTokConnector(config=PlatformConfig(client_id="k", extra={"pull_from_url": True}), http=http_client)
    mock_http.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        200, json={"data": {**CREATOR, "privacy_level_options": ["SELF_ONLY"]}, "error": OK}
    )
    init = mock_http.post(f"{API}/v2/post/publish/video/init/").respond(
        200, json={"data": {"publish_id": "v_pub_url~v2-1.8"}, "error": OK}
    )
    connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[video()]))
    body = json.loads(init.calls.last.request.content)
    assert body["source_info"] == {"source": "PULL_FROM_URL", "video_url": "https://cdn.app.test/v.mp4"}
    assert body["post_info"]["privacy_level"] == "SELF_ONLY"


def test_error_in_200_body_is_classified(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        200,
        json={
            "data": {},
            "error": {"code": "spam_risk_too_many_posts", "message": "The daily post cap is reached.", "log_id": "1"},
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[video()]))
    assert caught.value.kind is ErrorKind.RATE_LIMITED and caught.value.retry_after == 3600
    assert caught.value.status == 200


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (401, "access_token_invalid", ErrorKind.AUTH),
        (401, "scope_not_authorized", ErrorKind.AUTH),
        (429, "rate_limit_exceeded", ErrorKind.RATE_LIMITED),
        (400, "invalid_params", ErrorKind.CONTENT),
        (200, "privacy_level_option_mismatch", ErrorKind.CONTENT),
        (500, "internal_error", ErrorKind.TRANSIENT),
    ],
)
def test_error_codes(
    connector: TikTokConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    code: str,
    kind: ErrorKind,
) -> None:
    mock_http.post(f"{API}/v2/post/publish/creator_info/query/").respond(
        status,
        json={"data": {}, "error": {"code": code, "message": code, "log_id": "1"}},
        headers={"Retry-After": "30"},
    )
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k", media=[video()]))
    assert caught.value.kind is kind
    if kind is ErrorKind.RATE_LIMITED:
        assert caught.value.retry_after == 30


def test_fetch_post_before_and_after_moderation(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    answers = iter(
        [
            {"status": "PROCESSING_UPLOAD", "uploaded_bytes": 3},
            {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [7312345678901234567]},
        ]
    )
    route = mock_http.post(f"{API}/v2/post/publish/status/fetch/").mock(
        side_effect=lambda r: httpx.Response(200, json={"data": next(answers), "error": OK})
    )
    pending = connector.fetch_post(account, "v_pub_file~v2-1.7")
    assert json.loads(route.calls.last.request.content) == {"publish_id": "v_pub_file~v2-1.7"}
    assert pending is not None and pending.platform_post_id == "v_pub_file~v2-1.7"
    assert pending.raw["status"] == "PROCESSING_UPLOAD"
    done = connector.fetch_post(account, "v_pub_file~v2-1.7")
    assert done is not None and done.platform_post_id == "7312345678901234567"
    assert done.url == "https://www.tiktok.com/@acme/video/7312345678901234567"


def test_fetch_post_failed_is_content(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/v2/post/publish/status/fetch/").respond(
        200, json={"data": {"status": "FAILED", "fail_reason": "file_format_check_failed"}, "error": OK}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.fetch_post(account, "v_pub_file~v2-1.7")
    assert caught.value.kind is ErrorKind.CONTENT and caught.value.platform_code == "file_format_check_failed"


def test_fetch_metrics_from_video_query(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.post(f"{API}/v2/video/query/").respond(
        200,
        json={
            "data": {
                "videos": [
                    {
                        "id": "7312345678901234567",
                        "like_count": 40,
                        "comment_count": 5,
                        "share_count": 3,
                        "view_count": 1000,
                    }
                ],
                "cursor": 0,
                "has_more": False,
            },
            "error": OK,
        },
    )
    metrics = connector.fetch_metrics(account, "7312345678901234567")
    request = route.calls.last.request
    assert request.url.params["fields"] == "id,like_count,comment_count,share_count,view_count"
    assert json.loads(request.content) == {"filters": {"video_ids": ["7312345678901234567"]}}
    assert (metrics.views, metrics.likes, metrics.comments, metrics.shares) == (1000, 40, 5, 3)


def test_fetch_metrics_before_public_id_is_zero(
    connector: TikTokConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{API}/v2/post/publish/status/fetch/").respond(
        200, json={"data": {"status": "PROCESSING_DOWNLOAD"}, "error": OK}
    )
    metrics = connector.fetch_metrics(account, "v_pub_url~v2-1.8")
    assert metrics.views == 0 and metrics.raw["status"] == "PROCESSING_DOWNLOAD"


def test_validate_requires_video_or_photos(connector: TikTokConnector) -> None:
    codes = {p.code for p in connector.validate(PublishRequest(text="only words", idempotency_key="k"))}
    assert "media_required" in codes


@given(st.integers(min_value=1, max_value=4 * 1024**3))
def test_chunk_plan_respects_tiktok_sizes(size: int) -> None:
    chunk_size, count = chunk_plan(size)
    last = size - chunk_size * (count - 1)
    assert count >= 1 and count <= 1000
    if size <= 64 * 1024 * 1024:
        assert count == 1 and chunk_size == size
    else:
        assert 5 * 1024 * 1024 <= chunk_size <= 64 * 1024 * 1024
        assert chunk_size <= last <= 128 * 1024 * 1024


# Property 20: Platform Compliance and Error Handling
@given(
    st.integers(min_value=100, max_value=599),
    st.sampled_from(
        ["", "ok", "access_token_invalid", "rate_limit_exceeded", "internal_error", "invalid_params", "weird"]
    ),
)
def test_tiktok_classification_is_total_and_stable(status: int, code: str) -> None:
    kind = classify(status, code)
    assert kind in set(ErrorKind) and classify(status, code) is kind
    if code == "access_token_invalid":
        assert kind is ErrorKind.AUTH
    if code == "rate_limit_exceeded":
        assert kind is ErrorKind.RATE_LIMITED


def test_validate_video_upload_needs_no_public_url(http_client: httpx.Client) -> None:
    # A video goes up as FILE_UPLOAD (our own bytes): the embedded default's http:// media is fine.
    local = MediaItem(
        url="http://127.0.0.1:8000/media/v.mp4", content_type="video/mp4", size_bytes=3, duration_seconds=20
    )
    uploading = TikTokConnector(config=PlatformConfig(client_id="k"), http=http_client)
    pulling = TikTokConnector(config=PlatformConfig(client_id="k", extra={"pull_from_url": True}), http=http_client)
    post = PublishRequest(text="x", idempotency_key="k", media=[local])
    assert "media_not_public" not in {p.code for p in uploading.validate(post)}
    assert "media_not_public" in {p.code for p in pulling.validate(post)}
