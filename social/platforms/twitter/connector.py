"""X (Twitter) API v2: OAuth 2.0 with PKCE, POST /2/tweets, v2 media upload, metrics."""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    PlatformConnector,
    PostCharge,
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
    expires_at_from,
    json_body,
    now_utc,
    rate_limit_from_headers,
    send,
)
from social.platforms.twitter.errors import problem_of, raise_for_x, raise_token_error
from social.platforms.twitter.media import upload_media

_URL = re.compile(r"https?://\S+")
# X is pay-per-use (docs.x.com pricing, from 2026-04-20): each created post is billed, more when it has a link.
POST_CHARGE_USD = Decimal("0.015")
URL_POST_CHARGE_USD = Decimal("0.20")


def _decimal(raw: Any, default: Decimal) -> Decimal:
    try:
        value = Decimal(str(raw)) if raw not in (None, "") else default
    except InvalidOperation:
        return default
    return value if value.is_finite() and value >= 0 else default


def comparable_text(text: str) -> str:
    """Text as X stores it, minus what X rewrites: links become t.co, & < > come back HTML-escaped."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return " ".join(_URL.sub("<url>", text).split())


class TwitterConnector(PlatformConnector):
    platform = "twitter"
    supports_pkce = True
    default_scopes = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")

    @property
    def api_base(self) -> str:
        return (self.config.api_base or "https://api.x.com").rstrip("/")

    @property
    def auth_base(self) -> str:
        return (self.config.auth_base or "https://x.com").rstrip("/")

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        if not code_challenge:
            raise ValueError("X requires PKCE: pass a code_challenge.")
        query = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.default_scopes),
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.auth_base}/i/oauth2/authorize?{urlencode(query)}"

    def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.config.client_secret:
            # Confidential clients authenticate with Basic auth; public clients name themselves in the body.
            pair = f"{self.config.client_id}:{self.config.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form = {**form, "client_id": self.config.client_id}
        response = send(self.http, "POST", f"{self.api_base}/2/oauth2/token", data=form, headers=headers)
        if not response.is_success:
            raise raise_token_error(response)
        body: dict[str, Any] = json_body(response)
        return body

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        body = self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier or "",
            }
        )
        tokens = self._tokens(body)
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/2/users/me",
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        raise_for_x(response, "read the connected account")
        user = json_body(response).get("data", {})
        tokens.account_id = str(user.get("id", ""))
        tokens.account_name = f"@{user.get('username', '')}"
        tokens.metadata = {"username": user.get("username", ""), "name": user.get("name", "")}
        return tokens

    def refresh(self, account: AccountCredentials) -> TokenSet:
        if not account.refresh_token:
            raise ConnectorError("This X connection has no refresh token: connect it again.", kind=ErrorKind.AUTH)
        tokens = self._tokens(
            self._token_request({"grant_type": "refresh_token", "refresh_token": account.refresh_token})
        )
        tokens.account_id, tokens.account_name = account.account_id, account.account_name
        tokens.metadata = dict(account.metadata)
        return tokens

    @staticmethod
    def _tokens(body: dict[str, Any]) -> TokenSet:
        return TokenSet(
            access_token=str(body.get("access_token", "")),
            # X rotates refresh tokens: the old one stops working once this one is issued.
            refresh_token=str(body.get("refresh_token", "")),
            expires_at=expires_at_from(body.get("expires_in")),
            scopes=str(body.get("scope", "")).split(),
        )

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        problems = standard_problems(self.platform, post)
        moving = [m for m in post.media if m.content_type.startswith("video/") or m.content_type == "image/gif"]
        if moving and len(post.media) > 1:
            problems.append(Problem("media_mix", "X allows 4 photos, or 1 GIF, or 1 video per post.", field="media"))
        return problems

    def _headers(self, account: AccountCredentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {account.access_token}"}

    def _create(self, account: AccountCredentials, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        response = send(self.http, "POST", f"{self.api_base}/2/tweets", headers=self._headers(account), json=body)
        raise_for_x(response, "publish the post")
        return json_body(response).get("data", {}), rate_limit_from_headers(response.headers) or {}

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        body: dict[str, Any] = {}
        if post.text:
            body["text"] = post.text
        media_ids = [upload_media(self.http, self.api_base, account.access_token, item) for item in post.media]
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        first, rate_limit = self._create(account, body)
        post_id = str(first["id"])
        raw: dict[str, Any] = {"data": first, "thread_ids": [post_id], "rate_limit": rate_limit}
        follow_ups = [*post.thread, *([post.first_comment] if post.first_comment else [])]
        parent = post_id
        try:
            for part in follow_ups:
                reply, raw["rate_limit"] = self._create(
                    account, {"text": part, "reply": {"in_reply_to_tweet_id": parent}}
                )
                parent = str(reply["id"])
                raw["thread_ids"].append(parent)
        except ConnectorError as exc:
            # The first post is live: report it as published so it is never posted twice, and say what is missing.
            raw["thread_incomplete"] = exc.message
        return PublishedPost(
            platform_post_id=post_id,
            url=self._post_url(account, post_id),
            published_at=now_utc(),
            raw=raw,
        )

    def _post_url(self, account: AccountCredentials, post_id: str) -> str:
        username = account.metadata.get("username") or account.account_name.lstrip("@") or "i"
        return f"https://x.com/{username}/status/{post_id}"

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/2/users/{account.account_id}/tweets",
            headers=self._headers(account),
            params={"max_results": "20", "tweet.fields": "created_at,text"},
        )
        raise_for_x(response, "list recent posts")
        wanted = comparable_text(post.text)
        for item in json_body(response).get("data", []) or []:
            if comparable_text(str(item.get("text", ""))) == wanted:
                return self._published(account, item)
        return None

    def _published(self, account: AccountCredentials, data: dict[str, Any]) -> PublishedPost:
        created = data.get("created_at")
        return PublishedPost(
            platform_post_id=str(data["id"]),
            url=self._post_url(account, str(data["id"])),
            published_at=datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None,
            raw=data,
        )

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/2/tweets/{platform_post_id}",
            headers=self._headers(account),
            params={"tweet.fields": "created_at,text,author_id"},
        )
        if response.status_code == 404:
            return None
        raise_for_x(response, "read the post")
        body = json_body(response)
        # A deleted post comes back as 200 with only an errors[] entry of type resource-not-found.
        if not body.get("data"):
            problem_type, message = problem_of(body)
            if problem_type == "resource-not-found" or "not found" in message.lower() or not problem_type:
                return None
            raise ConnectorError(f"X could not read the post: {message}.", kind=ErrorKind.CONTENT, raw=body)
        return self._published(account, body["data"])

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        url = f"{self.api_base}/2/tweets/{platform_post_id}"
        # Non-public and organic metrics exist only for the owner's posts of the last 30 days.
        response = send(
            self.http,
            "GET",
            url,
            headers=self._headers(account),
            params={"tweet.fields": "public_metrics,non_public_metrics,organic_metrics"},
        )
        body = json_body(response) if response.is_success else {}
        if response.status_code in (401, 429) or response.status_code >= 500:
            raise_for_x(response, "read the metrics")
        if not body.get("data"):
            response = send(
                self.http, "GET", url, headers=self._headers(account), params={"tweet.fields": "public_metrics"}
            )
            raise_for_x(response, "read the metrics")
            body = json_body(response)
        data = body.get("data") or {}
        public = data.get("public_metrics") or {}
        private = data.get("non_public_metrics") or {}
        impressions = int(private.get("impression_count") or public.get("impression_count") or 0)
        return PostMetrics(
            views=impressions,
            likes=int(public.get("like_count", 0)),
            shares=int(public.get("retweet_count", 0)) + int(public.get("quote_count", 0)),
            comments=int(public.get("reply_count", 0)),
            clicks=int(private.get("url_link_clicks", 0)),
            impressions=impressions,
            raw=data,
        )

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        return budget_from_metadata(account.metadata)

    def charge_rates(self) -> tuple[Decimal, Decimal]:
        """(per post, per post with a link) in USD; settings can follow a price change."""
        return (
            _decimal(self.config.extra.get("post_charge_usd"), POST_CHARGE_USD),
            _decimal(self.config.extra.get("url_post_charge_usd"), URL_POST_CHARGE_USD),
        )

    def post_charge(self, post: PublishRequest) -> PostCharge | None:
        plain, with_link = self.charge_rates()
        # One billed post per part: the post itself, each thread reply and the first comment.
        parts = [post.text, *post.thread, *([post.first_comment] if post.first_comment else [])]
        return PostCharge(amount=sum((with_link if _URL.search(part) else plain for part in parts), Decimal(0)))
