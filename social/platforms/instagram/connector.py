"""Instagram API with Instagram Login: container, then media_publish; insights with `views`."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

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
from social.platforms.http import expires_at_from, json_body, now_utc, send
from social.platforms.meta import DEFAULT_GRAPH_VERSION, graph_error, insight_values, is_missing_object, raise_for_graph

LABEL = "Instagram"
INSIGHT_METRICS = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
CONTAINER_POLL_SECONDS = 5
CONTAINER_MAX_WAIT = 300


class InstagramConnector(PlatformConnector):
    platform = "instagram"
    default_scopes = (
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_insights",
    )

    @property
    def api_base(self) -> str:
        return (self.config.api_base or "https://graph.instagram.com").rstrip("/")

    @property
    def auth_base(self) -> str:
        return (self.config.auth_base or "https://api.instagram.com").rstrip("/")

    @property
    def graph(self) -> str:
        return f"{self.api_base}/{self.config.extra.get('graph_version') or DEFAULT_GRAPH_VERSION}"

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": ",".join(self.default_scopes),
            "state": state,
        }
        return f"{self.auth_base}/oauth/authorize?{urlencode(query)}"

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        response = send(
            self.http,
            "POST",
            f"{self.auth_base}/oauth/access_token",
            data={
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        self._raise_token(response, "accept the authorization")
        body = json_body(response)
        short = body["data"][0] if isinstance(body.get("data"), list) else body
        # The code gives a 1-hour token; trade it at once for the 60-day one.
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/access_token",
            params={
                "grant_type": "ig_exchange_token",
                "client_secret": self.config.client_secret,
                "access_token": short["access_token"],
            },
        )
        self._raise_token(response, "extend the access token")
        long_lived = json_body(response)
        token = str(long_lived["access_token"])
        me = send(self.http, "GET", f"{self.graph}/me", params={"fields": "user_id,username", "access_token": token})
        raise_for_graph(me, "read the connected account", label=LABEL)
        profile = json_body(me)
        permissions = short.get("permissions") or []
        return TokenSet(
            access_token=token,
            expires_at=expires_at_from(long_lived.get("expires_in")),
            scopes=permissions.split(",") if isinstance(permissions, str) else list(permissions),
            account_id=str(profile.get("user_id") or short.get("user_id") or profile.get("id", "")),
            account_name=f"@{profile.get('username', '')}",
            metadata={"username": profile.get("username", "")},
        )

    def _raise_token(self, response: Any, action: str) -> None:
        if not response.is_success:
            error = graph_error(response, action, label=LABEL)
            if response.status_code == 400 and error.kind == ErrorKind.CONTENT:
                error.kind = ErrorKind.AUTH  # a used or expired code: the user starts over
            raise error

    def refresh(self, account: AccountCredentials) -> TokenSet:
        # No refresh token here: a long-lived token that is at least 24 h old and unexpired refreshes itself.
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": account.access_token},
        )
        raise_for_graph(response, "refresh the access token", label=LABEL)
        body = json_body(response)
        return TokenSet(
            access_token=str(body["access_token"]),
            expires_at=expires_at_from(body.get("expires_in")),
            account_id=account.account_id,
            account_name=account.account_name,
            metadata=dict(account.metadata),
        )

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        # standard_problems covers Instagram's own rules: media required, JPEG only, public https URLs, 5 hashtags.
        return standard_problems(self.platform, post)

    def _post(self, account: AccountCredentials, path: str, data: dict[str, str], action: str) -> dict[str, Any]:
        response = send(self.http, "POST", f"{self.graph}/{path}", data={**data, "access_token": account.access_token})
        raise_for_graph(response, action, label=LABEL)
        body: dict[str, Any] = json_body(response)
        return body

    def _get(self, account: AccountCredentials, path: str, params: dict[str, str], action: str) -> dict[str, Any]:
        response = send(
            self.http, "GET", f"{self.graph}/{path}", params={**params, "access_token": account.access_token}
        )
        raise_for_graph(response, action, label=LABEL)
        body: dict[str, Any] = json_body(response)
        return body

    def _container(self, account: AccountCredentials, item: MediaItem, extra: dict[str, str]) -> str:
        if item.content_type.startswith("video/"):
            # Feed videos are published as Reels since 2023; carousel children stay VIDEO.
            media = {"media_type": "VIDEO" if extra.get("is_carousel_item") else "REELS", "video_url": item.url}
        else:
            media = {"image_url": item.url}
        container = self._post(account, f"{account.account_id}/media", {**media, **extra}, "prepare the media")
        return str(container["id"])

    def _wait_until_ready(self, account: AccountCredentials, container_id: str) -> None:
        # Meta fetches the media itself; video is transcoded, so publishing early fails.
        waited = 0
        while True:
            status = self._get(account, container_id, {"fields": "status_code,status"}, "check the media").get(
                "status_code"
            )
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise ConnectorError(
                    f"Instagram could not process the media ({status}). Check the file's format and URL.",
                    kind=ErrorKind.CONTENT,
                    platform_code=status,
                )
            if waited >= CONTAINER_MAX_WAIT:
                raise ConnectorError("Instagram is still processing the media.", kind=ErrorKind.TRANSIENT)
            time.sleep(CONTAINER_POLL_SECONDS)
            waited += CONTAINER_POLL_SECONDS

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        if not post.media:
            raise ConnectorError("Instagram posts need an image or a video.", kind=ErrorKind.CONTENT)
        if len(post.media) == 1:
            container_id = self._container(account, post.media[0], {"caption": post.text})
        else:
            children = [self._container(account, m, {"is_carousel_item": "true"}) for m in post.media]
            for child in children:
                self._wait_until_ready(account, child)
            container_id = str(
                self._post(
                    account,
                    f"{account.account_id}/media",
                    {"media_type": "CAROUSEL", "children": ",".join(children), "caption": post.text},
                    "prepare the carousel",
                )["id"]
            )
        self._wait_until_ready(account, container_id)
        media_id = str(
            self._post(account, f"{account.account_id}/media_publish", {"creation_id": container_id}, "publish")["id"]
        )
        published = self.fetch_post(account, media_id)
        return PublishedPost(
            platform_post_id=media_id,
            url=published.url if published else "",
            published_at=(published.published_at if published else None) or now_utc(),
            raw={"container_id": container_id, **(published.raw if published else {})},
        )

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        body = self._get(
            account, f"{account.account_id}/media", {"fields": "id,caption,permalink,timestamp", "limit": "10"}, "list"
        )
        for item in body.get("data", []):
            if (item.get("caption") or "").strip() == post.text.strip():
                return self._published(item)
        return None

    @staticmethod
    def _published(data: dict[str, Any]) -> PublishedPost:
        timestamp = data.get("timestamp")
        return PublishedPost(
            platform_post_id=str(data["id"]),
            url=str(data.get("permalink") or ""),
            published_at=datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S%z") if timestamp else None,
            raw=data,
        )

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        fields = "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{platform_post_id}",
            params={"fields": fields, "access_token": account.access_token},
        )
        if is_missing_object(response):
            return None
        raise_for_graph(response, "read the post", label=LABEL)
        return self._published(json_body(response))

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        counts = self._get(account, platform_post_id, {"fields": "like_count,comments_count"}, "read the post")
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{platform_post_id}/insights",
            params={"metric": ",".join(INSIGHT_METRICS), "access_token": account.access_token},
        )
        insights: dict[str, int] = {}
        if response.is_success:
            insights = insight_values(json_body(response))
        else:
            error = graph_error(response, "read insights", label=LABEL)
            # "(#10) Not enough viewers" and unsupported metrics leave only the counts; anything else is real.
            if error.kind not in (ErrorKind.AUTH, ErrorKind.CONTENT) or error.platform_code not in ("10", "100"):
                raise error
        return PostMetrics(
            views=insights.get("views", 0),
            likes=insights.get("likes", int(counts.get("like_count") or 0)),
            comments=insights.get("comments", int(counts.get("comments_count") or 0)),
            shares=insights.get("shares", 0),
            reach=insights.get("reach", 0),
            impressions=insights.get("views", 0),
            raw={"counts": counts, "insights": insights},
        )

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        # Meta says not to hardcode the quota (it has been 25, 50 and 100): read it live.
        body = self._get(
            account,
            f"{account.account_id}/content_publishing_limit",
            {"fields": "quota_usage,config"},
            "read the quota",
        )
        entries = body.get("data") or []
        if not entries:
            return None
        usage = int(entries[0].get("quota_usage") or 0)
        total = int((entries[0].get("config") or {}).get("quota_total") or 0)
        return RateBudget(remaining=max(0, total - usage), limit=total, resets_at=None)
