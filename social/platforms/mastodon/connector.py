"""Mastodon (any instance): per-instance OAuth app, statuses with Idempotency-Key, v2 media, instance limits."""

from __future__ import annotations

import html
import re
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlparse

import httpx

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
from social.platforms.checks import standard_problems
from social.platforms.http import (
    budget_from_metadata,
    http_error,
    json_body,
    kind_for_status,
    media_bytes,
    rate_limit_from_headers,
    send,
)

MEDIA_POLL_SECONDS = 2
MEDIA_MAX_WAIT = 120
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>", re.IGNORECASE)


def classify(status: int) -> ErrorKind:
    # 403 means the account itself is disabled, unconfirmed or unapproved: a person has to act.
    return ErrorKind.AUTH if status == 403 else kind_for_status(status)


def raise_for_mastodon(response: httpx.Response, action: str) -> None:
    if response.is_success:
        return
    body = json_body(response)
    message = ""
    if isinstance(body, dict):
        message = str(body.get("error_description") or body.get("error") or "")
    raise http_error(
        response,
        f"Mastodon could not {action}: {message or response.reason_phrase} ({response.status_code}).",
        kind=classify(response.status_code),
    )


def plain_text(content: str) -> str:
    """A status's HTML content as the words the author typed (links keep their hidden parts)."""
    return " ".join(html.unescape(_TAG.sub("", _BREAK.sub(" ", content))).split())


def _file_name(item: MediaItem) -> str:
    return (item.storage_path or urlparse(item.url).path).rsplit("/", 1)[-1] or "upload"


class MastodonConnector(PlatformConnector):
    platform = "mastodon"
    supports_pkce = True  # Mastodon 4.3+, S256 only; older instances ignore the parameters
    supports_idempotency_key = True
    default_scopes = ("read:accounts", "read:statuses", "write:statuses", "write:media")

    @property
    def instance(self) -> str:
        return self.config.api_base.rstrip("/")

    @staticmethod
    def _instance_of(account: AccountCredentials) -> str:
        instance = str(account.metadata.get("instance_url") or "").rstrip("/")
        if not instance:
            raise ConnectorError("This Mastodon account has no instance URL: connect it again.", kind=ErrorKind.AUTH)
        return instance

    # --- connecting ---------------------------------------------------------------------------
    def register_app(self, *, redirect_uri: str) -> tuple[str, str]:
        """Create our OAuth app on this instance; returns (client_id, client_secret) to keep per instance."""
        response = send(
            self.http,
            "POST",
            f"{self.instance}/api/v1/apps",
            data={
                "client_name": str(self.config.extra.get("app_name") or "ContentGenAI"),
                "redirect_uris": redirect_uri,
                "scopes": " ".join(self.default_scopes),
                "website": str(self.config.extra.get("website") or ""),
            },
        )
        raise_for_mastodon(response, "register the app on this instance")
        body = json_body(response)
        return str(body["client_id"]), str(body["client_secret"])

    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.default_scopes),
            "state": state,
        }
        if code_challenge:
            query |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        return f"{self.instance}/oauth/authorize?{urlencode(query)}"

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.default_scopes),
        }
        if code_verifier:
            form["code_verifier"] = code_verifier
        response = send(self.http, "POST", f"{self.instance}/oauth/token", data=form)
        if not response.is_success:
            body = json_body(response)
            detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else ""
            kind = ErrorKind.AUTH if response.status_code in (400, 401) else None
            raise http_error(
                response, f"Mastodon refused the authorization: {detail or response.status_code}.", kind=kind
            )
        body = json_body(response)
        # Mastodon tokens never expire and there is no refresh grant: only a revocation ends them.
        return self._identity(str(body["access_token"]), self.instance, str(body.get("scope", "")).split())

    def _identity(self, token: str, instance: str, scopes: list[str]) -> TokenSet:
        headers = {"Authorization": f"Bearer {token}"}
        response = send(self.http, "GET", f"{instance}/api/v1/accounts/verify_credentials", headers=headers)
        raise_for_mastodon(response, "read the connected account")
        me = json_body(response)
        response = send(self.http, "GET", f"{instance}/api/v2/instance", headers=headers)
        raise_for_mastodon(response, "read the instance's limits")
        configuration = json_body(response).get("configuration") or {}
        statuses = configuration.get("statuses") or {}
        media = configuration.get("media_attachments") or {}
        domain = urlparse(instance).netloc
        return TokenSet(
            access_token=token,
            scopes=scopes,
            account_id=str(me["id"]),
            account_name=f"@{me.get('username', '')}@{domain}",
            metadata={
                "instance_url": instance,
                "username": me.get("username", ""),
                "max_characters": int(statuses.get("max_characters") or 500),
                "characters_reserved_per_url": int(statuses.get("characters_reserved_per_url") or 23),
                "max_media_attachments": int(statuses.get("max_media_attachments") or 4),
                "image_size_limit": media.get("image_size_limit"),
                "video_size_limit": media.get("video_size_limit"),
            },
        )

    def refresh(self, account: AccountCredentials) -> TokenSet:
        """No refresh grant exists: check the token still works and re-read the instance's limits."""
        instance = self._instance_of(account)
        tokens = self._identity(account.access_token, instance, [])
        tokens.metadata = {**account.metadata, **tokens.metadata}
        return tokens

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        metadata = account.metadata if account else {}
        limit = metadata.get("max_characters")
        problems = standard_problems(self.platform, post, char_limit=int(limit) if limit else None)
        max_media = metadata.get("max_media_attachments")
        if max_media and len(post.media) > int(max_media) and not any(p.code == "too_many_media" for p in problems):
            problems.append(
                Problem("too_many_media", f"This instance allows {max_media} files per post.", field="media")
            )
        for item in post.media:
            size_limit = metadata.get(
                "video_size_limit" if item.content_type.startswith("video/") else "image_size_limit"
            )
            if size_limit and item.size_bytes > int(size_limit):
                problems.append(
                    Problem(
                        "media_too_large",
                        f"{item.size_bytes // 1_000_000} MB is over this instance's {int(size_limit) // 1_000_000} MB.",
                        field="media",
                    )
                )
        return problems

    def _headers(self, account: AccountCredentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {account.access_token}"}

    def _upload(self, account: AccountCredentials, instance: str, item: MediaItem) -> str:
        response = send(
            self.http,
            "POST",
            f"{instance}/api/v2/media",
            headers=self._headers(account),
            files={"file": (_file_name(item), media_bytes(self.http, item), item.content_type)},
            data={"description": item.alt_text} if item.alt_text else None,
        )
        raise_for_mastodon(response, "upload the media")
        media_id = str(json_body(response)["id"])
        # 202 means the file is still being processed; a status naming it before it is ready is refused.
        waited = 0
        while response.status_code == 202 or response.status_code == 206:
            if waited >= MEDIA_MAX_WAIT:
                raise ConnectorError("Mastodon is still processing the media.", kind=ErrorKind.TRANSIENT)
            time.sleep(MEDIA_POLL_SECONDS if waited else 0)
            waited += MEDIA_POLL_SECONDS
            response = send(self.http, "GET", f"{instance}/api/v1/media/{media_id}", headers=self._headers(account))
            raise_for_mastodon(response, "check the media")
        return media_id

    def _status(
        self, account: AccountCredentials, instance: str, body: dict[str, Any], key: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        # The same key within an hour returns the status already created instead of posting it again.
        headers = {**self._headers(account), "Idempotency-Key": key}
        response = send(self.http, "POST", f"{instance}/api/v1/statuses", headers=headers, json=body)
        raise_for_mastodon(response, "publish the post")
        return json_body(response), rate_limit_from_headers(response.headers) or {}

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        instance = self._instance_of(account)
        media_ids = [self._upload(account, instance, item) for item in post.media]
        body: dict[str, Any] = {"status": post.text, "visibility": "public"}
        if media_ids:
            body["media_ids"] = media_ids
        first, rate_limit = self._status(account, instance, body, post.idempotency_key)
        raw: dict[str, Any] = {"status": first, "thread_ids": [str(first["id"])], "rate_limit": rate_limit}
        parent = str(first["id"])
        follow_ups = [*post.thread, *([post.first_comment] if post.first_comment else [])]
        try:
            for index, part in enumerate(follow_ups, start=1):
                reply, raw["rate_limit"] = self._status(
                    account,
                    instance,
                    {"status": part, "visibility": "public", "in_reply_to_id": parent},
                    f"{post.idempotency_key}:{index}",
                )
                parent = str(reply["id"])
                raw["thread_ids"].append(parent)
        except ConnectorError as exc:
            raw["thread_incomplete"] = exc.message
        return self._published(first, raw)

    @staticmethod
    def _published(status: dict[str, Any], raw: dict[str, Any] | None = None) -> PublishedPost:
        created = status.get("created_at")
        return PublishedPost(
            platform_post_id=str(status["id"]),
            url=str(status.get("url") or status.get("uri") or ""),
            published_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
            raw=raw if raw is not None else status,
        )

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        instance = self._instance_of(account)
        response = send(
            self.http,
            "GET",
            f"{instance}/api/v1/accounts/{account.account_id}/statuses",
            headers=self._headers(account),
            params={"limit": "20", "exclude_replies": "true", "exclude_reblogs": "true"},
        )
        raise_for_mastodon(response, "list recent posts")
        wanted = " ".join(post.text.split())
        for status in json_body(response) or []:
            if plain_text(str(status.get("content", ""))) == wanted:
                return self._published(status)
        return None

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        instance = self._instance_of(account)
        response = send(
            self.http, "GET", f"{instance}/api/v1/statuses/{platform_post_id}", headers=self._headers(account)
        )
        if response.status_code in (404, 410):
            return None
        raise_for_mastodon(response, "read the post")
        return self._published(json_body(response))

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        post = self.fetch_post(account, platform_post_id)
        if post is None:
            raise ConnectorError("The Mastodon post is gone.", kind=ErrorKind.CONTENT, status=404)
        status = post.raw
        return PostMetrics(
            likes=int(status.get("favourites_count") or 0),
            shares=int(status.get("reblogs_count") or 0) + int(status.get("quotes_count") or 0),
            comments=int(status.get("replies_count") or 0),
            raw=status,
        )

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        return budget_from_metadata(account.metadata)
