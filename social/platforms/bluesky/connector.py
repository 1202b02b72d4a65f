"""Bluesky over the AT Protocol with an app password: sessions, createRecord with facets, blobs, getPosts."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from core.netguard import GENERIC_MESSAGE, DestinationRefused, check_url
from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    MediaItem,
    PlatformConnector,
    PostMetrics,
    Problem,
    PublishedPost,
    PublishRequest,
    RateBudget,
    TokenSet,
)
from social.platforms.bluesky.facets import build_facets
from social.platforms.checks import standard_problems
from social.platforms.http import (
    REFUSED_CODE,
    budget_from_metadata,
    http_error,
    json_body,
    kind_for_status,
    media_bytes,
    now_utc,
    rate_limit_from_headers,
    send,
)

POST_COLLECTION = "app.bsky.feed.post"
MAX_POST_BYTES = 3000
AUTH_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AccountTakedown"})
MISSING_ERRORS = frozenset({"RecordNotFound", "NotFound"})


def classify(status: int, error: str) -> ErrorKind:
    if error == "RateLimitExceeded":
        return ErrorKind.RATE_LIMITED
    if error in AUTH_ERRORS:
        return ErrorKind.AUTH
    return kind_for_status(status)


def xrpc_error(response: httpx.Response) -> tuple[str, str]:
    body = json_body(response)
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("error") or ""), str(body.get("message") or "")


def raise_for_xrpc(response: httpx.Response, action: str) -> None:
    if response.is_success:
        return
    error, message = xrpc_error(response)
    raise http_error(
        response,
        f"Bluesky could not {action}: {message or error or response.reason_phrase} ({response.status_code}).",
        kind=classify(response.status_code, error),
        platform_code=error or None,
    )


def jwt_expiry(token: str) -> datetime | None:
    """The `exp` claim of a session JWT, read without verifying (the PDS verifies it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


class BlueskyConnector(PlatformConnector):
    platform = "bluesky"
    uses_oauth = False

    @property
    def entryway(self) -> str:
        return (self.config.api_base or "https://bsky.social").rstrip("/")

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        raise ValueError("Bluesky connects with a handle and an app password, not a redirect.")

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        """`code` is JSON {identifier, password, service?} (see var/INTERFACE_NOTES.md)."""
        try:
            login = json.loads(code)
            identifier, password = str(login["identifier"]).strip().lstrip("@"), str(login["password"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorError("Enter your Bluesky handle and an app password.", kind=ErrorKind.CONTENT) from exc
        service = str(login.get("service") or self.entryway).rstrip("/")
        # createSession is limited to 30 per 5 minutes and 300 a day: sessions are refreshed, not re-created.
        response = send(
            self.http,
            "POST",
            f"{service}/xrpc/com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
        )
        if response.status_code == 401:
            raise http_error(response, "Bluesky rejected the handle or app password.", kind=ErrorKind.AUTH)
        raise_for_xrpc(response, "sign in")
        return self._session(json_body(response), service)

    def refresh(self, account: AccountCredentials) -> TokenSet:
        pds = self._pds(account)
        response = send(
            self.http,
            "POST",
            f"{pds}/xrpc/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {account.refresh_token}"},
        )
        if response.status_code in (400, 401) and xrpc_error(response)[0] not in ("RateLimitExceeded",):
            raise http_error(response, "The Bluesky session ended: enter an app password again.", kind=ErrorKind.AUTH)
        raise_for_xrpc(response, "refresh the session")
        tokens = self._session(json_body(response), pds)
        tokens.metadata = {**account.metadata, **tokens.metadata}
        return tokens

    @staticmethod
    def _session(body: dict[str, Any], service: str) -> TokenSet:
        pds = service
        for entry in (body.get("didDoc") or {}).get("service") or []:
            if entry.get("id") == "#atproto_pds" and entry.get("serviceEndpoint"):
                pds = str(entry["serviceEndpoint"]).rstrip("/")
        try:
            # Later calls carry the access token to this address: the platform's answer is checked like user input.
            check_url(pds)
        except DestinationRefused as exc:
            raise ConnectorError(str(GENERIC_MESSAGE), kind=ErrorKind.CONTENT, platform_code=REFUSED_CODE) from exc
        refresh_expiry = jwt_expiry(str(body.get("refreshJwt", "")))
        return TokenSet(
            access_token=str(body["accessJwt"]),
            # Single use: each refreshSession returns the next refresh token.
            refresh_token=str(body["refreshJwt"]),
            expires_at=jwt_expiry(str(body["accessJwt"])),
            account_id=str(body["did"]),
            account_name=f"@{body.get('handle', '')}",
            metadata={
                "pds": pds,
                "did": str(body["did"]),
                "handle": body.get("handle", ""),
                "refresh_expires_at": refresh_expiry.isoformat() if refresh_expiry else None,
            },
        )

    def _pds(self, account: AccountCredentials) -> str:
        return str(account.metadata.get("pds") or self.entryway).rstrip("/")

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        problems = standard_problems(self.platform, post)
        size = len(post.text.encode("utf-8"))
        if size > MAX_POST_BYTES and not any(p.code.startswith("too_long") for p in problems):
            problems.append(
                Problem("too_many_bytes", f"{size}/{MAX_POST_BYTES} bytes: Bluesky limits posts by bytes too.")
            )
        if any(m.content_type.startswith("video/") for m in post.media):
            problems.append(
                Problem("video_unsupported", "Video posts to Bluesky are not supported yet.", field="media")
            )
        if any(not m.alt_text for m in post.media if m.content_type.startswith("image/")):
            problems.append(Problem("alt_text", "Add a description (alt text) to each image.", "warning", "media"))
        return problems

    def _headers(self, account: AccountCredentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {account.access_token}"}

    def _resolver(self, account: AccountCredentials) -> Any:
        cache: dict[str, str | None] = {}

        def resolve(handle: str) -> str | None:
            if handle not in cache:
                response = send(
                    self.http,
                    "GET",
                    f"{self._pds(account)}/xrpc/com.atproto.identity.resolveHandle",
                    params={"handle": handle},
                    headers=self._headers(account),
                )
                # An unknown handle stays plain text rather than failing the whole post.
                cache[handle] = str(json_body(response).get("did")) if response.status_code == 200 else None
                if response.status_code == 429 or response.status_code >= 500:
                    raise_for_xrpc(response, "resolve a mention")
            return cache[handle]

        return resolve

    def _upload(self, account: AccountCredentials, item: MediaItem) -> dict[str, Any]:
        response = send(
            self.http,
            "POST",
            f"{self._pds(account)}/xrpc/com.atproto.repo.uploadBlob",
            content=media_bytes(self.http, item),
            headers={**self._headers(account), "Content-Type": item.content_type},
        )
        raise_for_xrpc(response, "upload the image")
        image: dict[str, Any] = {"image": json_body(response)["blob"], "alt": item.alt_text}
        if item.width and item.height:
            image["aspectRatio"] = {"width": item.width, "height": item.height}
        return image

    def _create(self, account: AccountCredentials, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        response = send(
            self.http,
            "POST",
            f"{self._pds(account)}/xrpc/com.atproto.repo.createRecord",
            headers=self._headers(account),
            json={"repo": account.account_id, "collection": POST_COLLECTION, "record": record},
        )
        raise_for_xrpc(response, "publish the post")
        return json_body(response), rate_limit_from_headers(response.headers) or {}

    def _record(self, text: str, resolve: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": now_utc().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        facets = build_facets(text, resolve)
        if facets:
            record["facets"] = facets
        return record

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        resolve = self._resolver(account)
        record = self._record(post.text, resolve)
        images = [self._upload(account, item) for item in post.media if item.content_type.startswith("image/")]
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        root, rate_limit = self._create(account, record)
        raw: dict[str, Any] = {
            "uri": root["uri"],
            "cid": root["cid"],
            "thread": [root["uri"]],
            "rate_limit": rate_limit,
        }
        parent = root
        try:
            for part in [*post.thread, *([post.first_comment] if post.first_comment else [])]:
                reply = self._record(part, resolve)
                reply["reply"] = {
                    "root": {"uri": root["uri"], "cid": root["cid"]},
                    "parent": {"uri": parent["uri"], "cid": parent["cid"]},
                }
                parent, raw["rate_limit"] = self._create(account, reply)
                raw["thread"].append(parent["uri"])
        except ConnectorError as exc:
            raw["thread_incomplete"] = exc.message
        return PublishedPost(
            platform_post_id=str(root["uri"]),
            url=self._post_url(account, str(root["uri"])),
            published_at=now_utc(),
            raw=raw,
        )

    @staticmethod
    def _post_url(account: AccountCredentials, uri: str) -> str:
        profile = account.metadata.get("handle") or account.account_id
        return f"https://bsky.app/profile/{profile}/post/{rkey_of(uri)}"

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self._pds(account)}/xrpc/com.atproto.repo.listRecords",
            params={"repo": account.account_id, "collection": POST_COLLECTION, "limit": "25"},
            headers=self._headers(account),
        )
        raise_for_xrpc(response, "list recent posts")
        for item in json_body(response).get("records", []):
            value = item.get("value") or {}
            if value.get("text") == post.text and "reply" not in value:
                return self._published(account, item)
        return None

    def _published(self, account: AccountCredentials, item: dict[str, Any]) -> PublishedPost:
        created = (item.get("value") or {}).get("createdAt")
        return PublishedPost(
            platform_post_id=str(item["uri"]),
            url=self._post_url(account, str(item["uri"])),
            published_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
            raw=item,
        )

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self._pds(account)}/xrpc/com.atproto.repo.getRecord",
            params={"repo": account.account_id, "collection": POST_COLLECTION, "rkey": rkey_of(platform_post_id)},
            headers=self._headers(account),
        )
        if response.status_code in (400, 404) and xrpc_error(response)[0] in MISSING_ERRORS:
            return None
        raise_for_xrpc(response, "read the post")
        return self._published(account, json_body(response))

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        response = send(
            self.http,
            "GET",
            f"{self._pds(account)}/xrpc/app.bsky.feed.getPosts?uris={quote(platform_post_id, safe='')}",
            headers=self._headers(account),
        )
        raise_for_xrpc(response, "read the post's counts")
        posts = json_body(response).get("posts") or []
        if not posts:
            return PostMetrics()
        view = posts[0]
        return PostMetrics(
            likes=int(view.get("likeCount") or 0),
            shares=int(view.get("repostCount") or 0) + int(view.get("quoteCount") or 0),
            comments=int(view.get("replyCount") or 0),
            raw=view,
        )

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        return budget_from_metadata(account.metadata)
