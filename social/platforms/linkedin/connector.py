"""LinkedIn Posts API (versioned /rest endpoints) for a member's own posts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

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
    TokenSet,
)
from social.platforms.checks import standard_problems
from social.platforms.http import expires_at_from, http_error, json_body, kind_for_status, media_bytes, now_utc, send
from social.platforms.linkedin.little import escape_commentary

DEFAULT_API_VERSION = "202605"
_DUPLICATE_URN = re.compile(r"urn:li:(?:share|ugcPost):\d+")


def classify(status: int) -> ErrorKind:
    # 403 is a missing permission (scope or role): only reconnecting with the right grant fixes it.
    if status == 403:
        return ErrorKind.AUTH
    return kind_for_status(status)


def raise_for_linkedin(response: httpx.Response, action: str) -> None:
    if response.is_success:
        return
    body = json_body(response)
    body = body if isinstance(body, dict) else {}
    message = str(body.get("message") or response.reason_phrase)
    codes = [
        str(e.get("code", "")) for e in (body.get("errorDetails") or {}).get("inputErrors", []) if isinstance(e, dict)
    ]
    if response.status_code == 422 and "DUPLICATE_POST" in codes:
        error = http_error(
            response,
            "LinkedIn refused this post as a duplicate of one already on the account.",
            kind=ErrorKind.CONTENT,
            platform_code="DUPLICATE_POST",
        )
        match = _DUPLICATE_URN.search(message)
        error.raw = {**body, "existing_urn": match.group(0) if match else ""}
        raise error
    code = str(body.get("code") or body.get("serviceErrorCode") or "") or None
    raise http_error(
        response,
        f"LinkedIn could not {action}: {message} ({response.status_code}).",
        kind=classify(response.status_code),
        platform_code=code,
    )


class LinkedInConnector(PlatformConnector):
    platform = "linkedin"
    # LinkedIn's PKCE is for native apps with loopback redirects only; a web app uses its client secret.
    supports_pkce = False
    default_scopes = ("openid", "profile", "w_member_social")

    @property
    def api_base(self) -> str:
        return (self.config.api_base or "https://api.linkedin.com").rstrip("/")

    @property
    def auth_base(self) -> str:
        return (self.config.auth_base or "https://www.linkedin.com").rstrip("/")

    @property
    def scopes(self) -> tuple[str, ...]:
        extra = self.config.extra.get("scopes")
        return tuple(str(extra).split()) if extra else self.default_scopes

    @property
    def api_version(self) -> str:
        return str(self.config.extra.get("api_version") or DEFAULT_API_VERSION)

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.scopes),
            "state": state,
        }
        return f"{self.auth_base}/oauth/v2/authorization?{urlencode(query)}"

    def _token_request(self, form: dict[str, str]) -> TokenSet:
        form = {**form, "client_id": self.config.client_id, "client_secret": self.config.client_secret}
        response = send(self.http, "POST", f"{self.auth_base}/oauth/v2/accessToken", data=form)
        if not response.is_success:
            body = json_body(response)
            detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else ""
            kind = ErrorKind.AUTH if response.status_code in (400, 401) else None
            raise http_error(
                response, f"LinkedIn refused the authorization: {detail or response.status_code}.", kind=kind
            )
        body = json_body(response)
        return TokenSet(
            access_token=str(body.get("access_token", "")),
            refresh_token=str(body.get("refresh_token", "")),
            expires_at=expires_at_from(body.get("expires_in")),
            scopes=str(body.get("scope", "")).replace(",", " ").split(),
            metadata={
                "refresh_token_expires_at": (
                    expiry.isoformat() if (expiry := expires_at_from(body.get("refresh_token_expires_in"))) else None
                )
            },
        )

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        tokens = self._token_request({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri})
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/v2/userinfo",
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        raise_for_linkedin(response, "read the connected member")
        user = json_body(response)
        tokens.account_id = str(user.get("sub", ""))
        tokens.account_name = str(user.get("name") or user.get("given_name") or "")
        tokens.metadata["author_urn"] = f"urn:li:person:{tokens.account_id}"
        return tokens

    def refresh(self, account: AccountCredentials) -> TokenSet:
        # Only partner apps get refresh tokens; everyone else reconnects before the 60 days are up.
        if not account.refresh_token:
            raise ConnectorError(
                "LinkedIn issued no refresh token: reconnect the account before its access expires.",
                kind=ErrorKind.AUTH,
            )
        tokens = self._token_request({"grant_type": "refresh_token", "refresh_token": account.refresh_token})
        tokens.account_id, tokens.account_name = account.account_id, account.account_name
        tokens.metadata = {**account.metadata, **{k: v for k, v in tokens.metadata.items() if v}}
        return tokens

    # --- publishing ---------------------------------------------------------------------------
    def _headers(self, account: AccountCredentials) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {account.access_token}",
            "LinkedIn-Version": self.api_version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    @staticmethod
    def _author(account: AccountCredentials) -> str:
        return str(account.metadata.get("author_urn") or f"urn:li:person:{account.account_id}")

    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        problems = standard_problems(self.platform, post)
        if any(m.content_type.startswith("video/") for m in post.media):
            problems.append(
                Problem(
                    "video_unsupported", "Video posts to LinkedIn are not supported yet: use images.", field="media"
                )
            )
        return problems

    def _upload_image(self, account: AccountCredentials, item: MediaItem) -> str:
        response = send(
            self.http,
            "POST",
            f"{self.api_base}/rest/images?action=initializeUpload",
            headers=self._headers(account),
            json={"initializeUploadRequest": {"owner": self._author(account)}},
        )
        raise_for_linkedin(response, "start the image upload")
        value = json_body(response).get("value", {})
        upload = send(
            self.http,
            "PUT",
            value["uploadUrl"],
            content=media_bytes(self.http, item),
            headers={
                "Authorization": f"Bearer {account.access_token}",
            },
        )
        raise_for_linkedin(upload, "upload the image")
        return str(value["image"])

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        body: dict[str, Any] = {
            "author": self._author(account),
            "commentary": escape_commentary(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [(self._upload_image(account, item), item.alt_text) for item in post.media]
        if len(images) == 1:
            body["content"] = {"media": {"id": images[0][0], "altText": images[0][1]}}
        elif images:
            body["content"] = {"multiImage": {"images": [{"id": urn, "altText": alt} for urn, alt in images]}}
        response = send(self.http, "POST", f"{self.api_base}/rest/posts", headers=self._headers(account), json=body)
        raise_for_linkedin(response, "publish the post")
        # The Posts API answers 201 with an empty body: the new post's URN is only in this header.
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise ConnectorError(
                "LinkedIn accepted the post but returned no id.", kind=ErrorKind.TRANSIENT, status=response.status_code
            )
        return PublishedPost(platform_post_id=urn, url=self._post_url(urn), published_at=now_utc(), raw={"urn": urn})

    @staticmethod
    def _post_url(urn: str) -> str:
        return f"https://www.linkedin.com/feed/update/{urn}/"

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/rest/posts/{quote(platform_post_id, safe='')}",
            headers=self._headers(account),
        )
        if response.status_code in (404, 410):
            return None
        raise_for_linkedin(response, "read the post")
        body = json_body(response)
        published_ms = body.get("publishedAt") or body.get("createdAt")
        return PublishedPost(
            platform_post_id=str(body.get("id") or platform_post_id),
            url=self._post_url(platform_post_id),
            published_at=datetime.fromtimestamp(published_ms / 1000, tz=UTC) if published_ms else None,
            raw=body,
        )

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        response = send(
            self.http,
            "GET",
            f"{self.api_base}/rest/socialMetadata/{quote(platform_post_id, safe='')}",
            headers=self._headers(account),
        )
        raise_for_linkedin(response, "read the post's reactions")
        social = json_body(response)
        reactions = sum(int(r.get("count", 0)) for r in (social.get("reactionSummaries") or {}).values())
        comments = int((social.get("commentSummary") or {}).get("count", 0))
        analytics = {
            name: self._member_analytic(account, platform_post_id, name)
            for name in ("IMPRESSION", "MEMBERS_REACHED", "RESHARE")
        }
        return PostMetrics(
            views=analytics["IMPRESSION"],
            likes=reactions,
            comments=comments,
            shares=analytics["RESHARE"],
            reach=analytics["MEMBERS_REACHED"],
            impressions=analytics["IMPRESSION"],
            raw={"socialMetadata": social, "memberCreatorPostAnalytics": analytics},
        )

    def _member_analytic(self, account: AccountCredentials, urn: str, query_type: str) -> int:
        # Needs r_member_postAnalytics; without that grant (403) or for an old post the figure is simply unknown.
        kind = "ugc" if ":ugcPost:" in urn else "share"
        url = (
            f"{self.api_base}/rest/memberCreatorPostAnalytics?q=entity&entity=({kind}:{quote(urn, safe='')})"
            f"&queryType={query_type}&aggregation=TOTAL"
        )
        response = send(self.http, "GET", url, headers=self._headers(account))
        if response.status_code in (400, 403, 404):
            return 0
        raise_for_linkedin(response, "read the post's analytics")
        return sum(int(e.get("count", 0)) for e in json_body(response).get("elements", []) if isinstance(e, dict))
