"""Facebook Pages: page tokens from the user's token, /feed and /photos, insights with views."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    PlatformConnector,
    PostMetrics,
    Problem,
    PublishedPost,
    PublishRequest,
    TokenSet,
)
from social.platforms.checks import standard_problems
from social.platforms.http import expires_at_from, json_body, now_utc, send
from social.platforms.meta import DEFAULT_GRAPH_VERSION, graph_error, insight_values, is_missing_object, raise_for_graph

LABEL = "Facebook"
# Since 2025 post impressions are gone: post_media_view (views) and post_total_media_view_unique (reach).
VIEW_METRICS = ("post_media_view", "post_total_media_view_unique")


class FacebookConnector(PlatformConnector):
    platform = "facebook"
    default_scopes = ("pages_show_list", "pages_manage_posts", "pages_read_engagement", "read_insights")

    @property
    def api_base(self) -> str:
        return (self.config.api_base or "https://graph.facebook.com").rstrip("/")

    @property
    def auth_base(self) -> str:
        return (self.config.auth_base or "https://www.facebook.com").rstrip("/")

    @property
    def version(self) -> str:
        return str(self.config.extra.get("graph_version") or DEFAULT_GRAPH_VERSION)

    @property
    def graph(self) -> str:
        return f"{self.api_base}/{self.version}"

    @property
    def scopes(self) -> tuple[str, ...]:
        extra = self.config.extra.get("scopes")
        return tuple(str(extra).replace(",", " ").split()) if extra else self.default_scopes

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join(self.scopes),
        }
        return f"{self.auth_base}/{self.version}/dialog/oauth?{urlencode(query)}"

    def _token(self, params: dict[str, str], action: str) -> dict[str, Any]:
        params = {**params, "client_id": self.config.client_id, "client_secret": self.config.client_secret}
        response = send(self.http, "GET", f"{self.graph}/oauth/access_token", params=params)
        if not response.is_success:
            error = graph_error(response, action, label=LABEL)
            if error.kind == ErrorKind.CONTENT:
                error.kind = ErrorKind.AUTH  # an expired or reused code: the user starts over
            raise error
        body: dict[str, Any] = json_body(response)
        return body

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        short = self._token({"redirect_uri": redirect_uri, "code": code}, "accept the authorization")
        # A page token read with a long-lived user token does not expire, so extend the user token first.
        long_lived = self._token(
            {"grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]}, "extend the access token"
        )
        user_token = str(long_lived["access_token"])
        user_expiry = expires_at_from(long_lived.get("expires_in"))
        response = send(
            self.http,
            "GET",
            f"{self.graph}/me/accounts",
            params={"fields": "id,name,access_token,tasks", "access_token": user_token},
        )
        raise_for_graph(response, "list your Pages", label=LABEL)
        pages = [p for p in json_body(response).get("data", []) if p.get("access_token")]
        if not pages:
            raise ConnectorError(
                "This Facebook user manages no Page we were given access to: pick a Page when connecting.",
                kind=ErrorKind.AUTH,
            )
        first = pages[0]
        return TokenSet(
            access_token=str(first["access_token"]),
            refresh_token=user_token,
            expires_at=None,
            scopes=list(self.scopes),
            account_id=str(first["id"]),
            account_name=str(first.get("name", "")),
            metadata={
                "pages": [{"id": str(p["id"]), "name": p.get("name", "")} for p in pages],
                "user_token_expires_at": user_expiry.isoformat() if user_expiry else None,
            },
        )

    def refresh(self, account: AccountCredentials) -> TokenSet:
        """The Page's token read again with the user token; also how another of the user's Pages is connected."""
        if not account.refresh_token:
            raise ConnectorError("Reconnect this Facebook Page.", kind=ErrorKind.AUTH)
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{account.account_id}",
            params={"fields": "id,name,access_token", "access_token": account.refresh_token},
        )
        raise_for_graph(response, "read the Page's access", label=LABEL)
        page = json_body(response)
        if not page.get("access_token"):
            raise ConnectorError("The Facebook user no longer manages this Page.", kind=ErrorKind.AUTH)
        return TokenSet(
            access_token=str(page["access_token"]),
            refresh_token=account.refresh_token,
            scopes=list(self.scopes),
            account_id=str(page["id"]),
            account_name=str(page.get("name") or account.account_name),
            metadata=dict(account.metadata),
        )

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        problems = standard_problems(self.platform, post)
        if any(m.content_type.startswith("video/") for m in post.media):
            problems.append(
                Problem("video_unsupported", "Video posts to Facebook Pages are not supported yet.", field="media")
            )
        return problems

    def _post(self, account: AccountCredentials, path: str, data: dict[str, str], action: str) -> dict[str, Any]:
        response = send(self.http, "POST", f"{self.graph}/{path}", data={**data, "access_token": account.access_token})
        raise_for_graph(response, action, label=LABEL)
        body: dict[str, Any] = json_body(response)
        return body

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        page = account.account_id
        if len(post.media) == 1:
            body = self._post(account, f"{page}/photos", {"url": post.media[0].url, "message": post.text}, "publish")
            post_id = str(body.get("post_id") or f"{page}_{body['id']}")
        else:
            data: dict[str, str] = {"message": post.text}
            if post.link:
                data["link"] = post.link
            for index, item in enumerate(post.media):
                # Several photos: upload each unpublished, then attach them all to one feed post.
                photo = self._post(account, f"{page}/photos", {"url": item.url, "published": "false"}, "upload a photo")
                data[f"attached_media[{index}]"] = json.dumps({"media_fbid": str(photo["id"])})
            post_id = str(self._post(account, f"{page}/feed", data, "publish")["id"])
        published = self.fetch_post(account, post_id)
        return PublishedPost(
            platform_post_id=post_id,
            url=published.url if published else f"https://www.facebook.com/{post_id}",
            published_at=(published.published_at if published else None) or now_utc(),
            raw=published.raw if published else {},
        )

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{account.account_id}/posts",
            params={
                "fields": "id,message,created_time,permalink_url",
                "limit": "10",
                "access_token": account.access_token,
            },
        )
        raise_for_graph(response, "list the Page's posts", label=LABEL)
        for item in json_body(response).get("data", []):
            if (item.get("message") or "").strip() == post.text.strip():
                return self._published(item)
        return None

    @staticmethod
    def _published(data: dict[str, Any]) -> PublishedPost:
        created = data.get("created_time")
        return PublishedPost(
            platform_post_id=str(data["id"]),
            url=str(data.get("permalink_url") or f"https://www.facebook.com/{data['id']}"),
            published_at=datetime.strptime(created, "%Y-%m-%dT%H:%M:%S%z") if created else None,
            raw=data,
        )

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{platform_post_id}",
            params={"fields": "id,message,created_time,permalink_url", "access_token": account.access_token},
        )
        if is_missing_object(response):
            return None
        raise_for_graph(response, "read the post", label=LABEL)
        return self._published(json_body(response))

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        response = send(
            self.http,
            "GET",
            f"{self.graph}/{platform_post_id}",
            params={
                "fields": "reactions.summary(total_count),comments.summary(total_count),shares",
                "access_token": account.access_token,
            },
        )
        raise_for_graph(response, "read the post's reactions", label=LABEL)
        counts = json_body(response)
        views: dict[str, int] = {}
        for metric in VIEW_METRICS:
            insights = send(
                self.http,
                "GET",
                f"{self.graph}/{platform_post_id}/insights",
                params={"metric": metric, "access_token": account.access_token},
            )
            if insights.is_success:
                views.update(insight_values(json_body(insights)))
                continue
            error = graph_error(insights, "read insights", label=LABEL)
            # Small Pages and renamed metrics answer with an error; the counts above still stand.
            if error.kind not in (ErrorKind.CONTENT, ErrorKind.AUTH):
                raise error
        return PostMetrics(
            views=views.get("post_media_view", 0),
            likes=int((counts.get("reactions") or {}).get("summary", {}).get("total_count", 0)),
            comments=int((counts.get("comments") or {}).get("summary", {}).get("total_count", 0)),
            shares=int((counts.get("shares") or {}).get("count", 0)),
            reach=views.get("post_total_media_view_unique", 0),
            impressions=views.get("post_media_view", 0),
            raw={"counts": counts, "insights": views},
        )
