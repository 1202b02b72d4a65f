from __future__ import annotations

import base64
import json
import time

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
from social.platforms.bluesky.connector import BlueskyConnector
from social.platforms.bluesky.facets import build_facets

PDS = "https://morel.us-east.host.bsky.network"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
URI = f"at://{DID}/app.bsky.feed.post/3l6oveex3ii2l"
CID = "bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q"


def jwt(exp: int) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"scope": "com.atproto.appPass", "sub": DID, "exp": exp}).encode())
    return f"eyJhbGciOiJFUzI1NksifQ.{payload.decode().rstrip('=')}.sig"


SESSION = {
    "did": DID,
    "handle": "acme.bsky.social",
    "accessJwt": jwt(int(time.time()) + 7200),
    "refreshJwt": jwt(int(time.time()) + 90 * 86400),
    "active": True,
    "didDoc": {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": DID,
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": PDS}],
    },
}


@pytest.fixture
def connector(http_client: httpx.Client) -> BlueskyConnector:
    return BlueskyConnector(config=PlatformConfig(), http=http_client)


@pytest.fixture
def account() -> AccountCredentials:
    return AccountCredentials(
        account_id=DID,
        account_name="@acme.bsky.social",
        access_token="access-jwt",
        refresh_token="refresh-jwt",
        metadata={"pds": PDS, "did": DID, "handle": "acme.bsky.social"},
    )


def test_app_password_login_finds_pds(connector: BlueskyConnector, mock_http: respx.MockRouter) -> None:
    route = mock_http.post("https://bsky.social/xrpc/com.atproto.server.createSession").respond(200, json=SESSION)
    code = json.dumps({"identifier": "@acme.bsky.social", "password": "abcd-efgh-ijkl-mnop", "service": ""})

    tokens = connector.exchange_code(code=code, redirect_uri="")

    assert json.loads(route.calls.last.request.content) == {
        "identifier": "acme.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    assert (tokens.account_id, tokens.account_name) == (DID, "@acme.bsky.social")
    assert tokens.metadata["pds"] == PDS and tokens.expires_at is not None
    assert not connector.uses_oauth


def test_wrong_app_password_is_auth(connector: BlueskyConnector, mock_http: respx.MockRouter) -> None:
    mock_http.post("https://bsky.social/xrpc/com.atproto.server.createSession").respond(
        401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.exchange_code(code=json.dumps({"identifier": "a.bsky.social", "password": "x"}), redirect_uri="")
    assert caught.value.kind is ErrorKind.AUTH


def test_create_session_rate_limited(connector: BlueskyConnector, mock_http: respx.MockRouter) -> None:
    reset = int(time.time()) + 250
    mock_http.post("https://bsky.social/xrpc/com.atproto.server.createSession").respond(
        429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={
            "ratelimit-limit": "30",
            "ratelimit-remaining": "0",
            "ratelimit-reset": str(reset),
            "ratelimit-policy": "30;w=300",
        },
    )
    with pytest.raises(ConnectorError) as caught:
        connector.exchange_code(code=json.dumps({"identifier": "a.bsky.social", "password": "x"}), redirect_uri="")
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after is not None and 245 <= caught.value.retry_after <= 251


def test_refresh_session_uses_refresh_jwt(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").respond(200, json=SESSION)
    tokens = connector.refresh(account)
    assert route.calls.last.request.headers["Authorization"] == "Bearer refresh-jwt"
    assert tokens.refresh_token == SESSION["refreshJwt"]


def test_expired_refresh_is_auth(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{PDS}/xrpc/com.atproto.server.refreshSession").respond(
        400, json={"error": "ExpiredToken", "message": "Token has expired"}
    )
    with pytest.raises(ConnectorError) as caught:
        connector.refresh(account)
    assert caught.value.kind is ErrorKind.AUTH


def test_publish_facets_use_byte_offsets(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{PDS}/xrpc/com.atproto.identity.resolveHandle", params={"handle": "bob.bsky.social"}).respond(
        200, json={"did": "did:plc:bob"}
    )
    create = mock_http.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").respond(
        200,
        json={"uri": URI, "cid": CID, "commit": {"cid": "bafyc", "rev": "3l6ovf"}, "validationStatus": "valid"},
        headers={
            "ratelimit-limit": "5000",
            "ratelimit-remaining": "4997",
            "ratelimit-reset": str(int(time.time()) + 3000),
        },
    )
    text = "Café ☕ ünïcode https://example.com/ä?x=1 with @bob.bsky.social #Launch2026!"

    published = connector.publish(account, PublishRequest(text=text, idempotency_key="k"))

    body = json.loads(create.calls.last.request.content)
    assert body["repo"] == DID and body["collection"] == "app.bsky.feed.post"
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post" and record["text"] == text and record["createdAt"].endswith("Z")
    encoded = text.encode("utf-8")
    link, mention, tag = record["facets"]
    assert encoded[link["index"]["byteStart"] : link["index"]["byteEnd"]] == "https://example.com/ä?x=1".encode()
    assert link["index"]["byteStart"] == len("Café ☕ ünïcode ".encode())
    assert link["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/ä?x=1"}]
    assert encoded[mention["index"]["byteStart"] : mention["index"]["byteEnd"]] == b"@bob.bsky.social"
    assert mention["features"] == [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bob"}]
    assert encoded[tag["index"]["byteStart"] : tag["index"]["byteEnd"]] == b"#Launch2026"
    assert tag["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "Launch2026"}]
    assert published.platform_post_id == URI
    assert published.url == "https://bsky.app/profile/acme.bsky.social/post/3l6oveex3ii2l"
    assert published.raw["rate_limit"]["remaining"] == 4997


def test_unknown_mention_stays_plain_text(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{PDS}/xrpc/com.atproto.identity.resolveHandle").respond(
        400, json={"error": "InvalidRequest", "message": "Unable to resolve handle"}
    )
    create = mock_http.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").respond(200, json={"uri": URI, "cid": CID})
    connector.publish(account, PublishRequest(text="hi @nobody.example", idempotency_key="k"))
    assert "facets" not in json.loads(create.calls.last.request.content)["record"]


def test_thread_reply_refs_and_images(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get("https://cdn.app.test/a.png").respond(200, content=b"PNG")
    blob = {
        "$type": "blob",
        "ref": {"$link": "bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa"},
        "mimeType": "image/png",
        "size": 3,
    }
    upload = mock_http.post(f"{PDS}/xrpc/com.atproto.repo.uploadBlob").respond(200, json={"blob": blob})
    answers = iter([(URI, CID), (f"at://{DID}/app.bsky.feed.post/second", "bafy2")])
    create = mock_http.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").mock(
        side_effect=lambda r: httpx.Response(200, json=dict(zip(("uri", "cid"), next(answers), strict=True)))
    )
    item = MediaItem(
        url="https://cdn.app.test/a.png",
        content_type="image/png",
        size_bytes=3,
        width=800,
        height=600,
        alt_text="A cat",
    )

    connector.publish(account, PublishRequest(text="One", idempotency_key="k", media=[item], thread=["Two"]))

    assert (
        upload.calls.last.request.headers["Content-Type"] == "image/png" and upload.calls.last.request.content == b"PNG"
    )
    first = json.loads(create.calls[0].request.content)["record"]
    assert first["embed"] == {
        "$type": "app.bsky.embed.images",
        "images": [{"image": blob, "alt": "A cat", "aspectRatio": {"width": 800, "height": 600}}],
    }
    second = json.loads(create.calls[1].request.content)["record"]
    assert second["reply"] == {"root": {"uri": URI, "cid": CID}, "parent": {"uri": URI, "cid": CID}}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (400, {"error": "ExpiredToken", "message": "Token has expired"}, ErrorKind.AUTH),
        (401, {"error": "AuthenticationRequired", "message": "Authentication Required"}, ErrorKind.AUTH),
        (
            400,
            {"error": "InvalidRequest", "message": "Record/text must not be longer than 300 graphemes"},
            ErrorKind.CONTENT,
        ),
        (502, {"error": "UpstreamFailure", "message": "Upstream Failure"}, ErrorKind.TRANSIENT),
        (501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}, ErrorKind.CONTENT),
    ],
)
def test_error_classes(
    connector: BlueskyConnector,
    account: AccountCredentials,
    mock_http: respx.MockRouter,
    status: int,
    body: dict,
    kind: ErrorKind,
) -> None:
    mock_http.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").respond(status, json=body)
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.kind is kind


def test_proxy_html_error_page_is_transient(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.post(f"{PDS}/xrpc/com.atproto.repo.createRecord").respond(503, text="<html>Service Unavailable</html>")
    with pytest.raises(ConnectorError) as caught:
        connector.publish(account, PublishRequest(text="x", idempotency_key="k"))
    assert caught.value.kind is ErrorKind.TRANSIENT


def test_fetch_post_via_get_record(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get(f"{PDS}/xrpc/com.atproto.repo.getRecord").mock(
        side_effect=lambda r: (
            httpx.Response(
                200,
                json={
                    "uri": URI,
                    "cid": CID,
                    "value": {"$type": "app.bsky.feed.post", "text": "One", "createdAt": "2026-11-20T10:00:00.000Z"},
                },
            )
            if r.url.params["rkey"] == "3l6oveex3ii2l"
            else httpx.Response(400, json={"error": "RecordNotFound", "message": "Could not locate record"})
        )
    )
    post = connector.fetch_post(account, URI)
    assert post is not None and post.platform_post_id == URI and post.published_at is not None
    params = route.calls.last.request.url.params
    assert (params["repo"], params["collection"]) == (DID, "app.bsky.feed.post")
    assert connector.fetch_post(account, f"at://{DID}/app.bsky.feed.post/gone") is None


def test_fetch_metrics_via_get_posts(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    route = mock_http.get(f"{PDS}/xrpc/app.bsky.feed.getPosts").respond(
        200,
        json={
            "posts": [
                {
                    "uri": URI,
                    "cid": CID,
                    "likeCount": 8,
                    "repostCount": 3,
                    "replyCount": 2,
                    "quoteCount": 1,
                    "bookmarkCount": 0,
                }
            ]
        },
    )
    metrics = connector.fetch_metrics(account, URI)
    assert route.calls.last.request.url.params["uris"] == URI
    assert (metrics.likes, metrics.shares, metrics.comments, metrics.views) == (8, 4, 2, 0)


def test_find_existing_from_list_records(
    connector: BlueskyConnector, account: AccountCredentials, mock_http: respx.MockRouter
) -> None:
    mock_http.get(f"{PDS}/xrpc/com.atproto.repo.listRecords").respond(
        200,
        json={
            "records": [{"uri": URI, "cid": CID, "value": {"text": "One", "createdAt": "2026-11-20T10:00:00.000Z"}}],
            "cursor": "x",
        },
    )
    found = connector.find_existing(account, PublishRequest(text="One", idempotency_key="k"))
    assert found is not None and found.platform_post_id == URI
    assert connector.find_existing(account, PublishRequest(text="Two", idempotency_key="k")) is None


def test_validate_counts_bytes(connector: BlueskyConnector) -> None:
    # 290 graphemes but far over 3000 bytes: each family emoji is one grapheme of 25 bytes.
    text = "👨‍👩‍👧‍👦" * 150
    codes = {p.code for p in connector.validate(PublishRequest(text=text, idempotency_key="k"))}
    assert codes & {"too_long_thread", "too_many_bytes"}


_words = st.text(alphabet=st.sampled_from(list("aé☕ 日本語😀-_.!,")), max_size=12)
_link = st.from_regex(r"https://[a-z]{1,8}\.(com|social)/[a-zäö0-9_\-]{0,10}", fullmatch=True)
_tag = st.from_regex(r"#[A-Za-zé日本][A-Za-z0-9é日本_]{0,10}", fullmatch=True)


# Property 19: Content Publishing and Data Retrieval
@given(st.lists(st.tuples(_words, st.one_of(_link, _tag)), min_size=1, max_size=5))
def test_every_facet_slices_exactly_its_link_or_tag(pieces: list[tuple[str, str]]) -> None:
    text = " ".join(f"{words} {token}" for words, token in pieces)
    encoded = text.encode("utf-8")
    facets = build_facets(text, lambda handle: None)
    previous_end = 0
    for facet in facets:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        assert previous_end <= start < end <= len(encoded)  # sorted and never overlapping
        previous_end = end
        feature = facet["features"][0]
        piece = encoded[start:end].decode("utf-8")  # a byte range never cuts a character
        if feature["$type"].endswith("#link"):
            assert piece == feature["uri"] and piece.startswith("https://")
        else:
            assert piece == "#" + feature["tag"]
    for _, token in pieces:
        if token.startswith("https://"):
            assert any(f["features"][0].get("uri") == token for f in facets)
