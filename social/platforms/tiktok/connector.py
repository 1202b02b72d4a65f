"""TikTok Content Posting API: creator_info, direct post (FILE_UPLOAD or PULL_FROM_URL), status, video query."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
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
    TokenSet,
)
from social.platforms.checks import standard_problems
from social.platforms.http import expires_at_from, media_bytes, send
from social.platforms.tiktok.errors import check

SINGLE_CHUNK_MAX = 64 * 1024 * 1024
CHUNK_BYTES = 10_000_000
PHOTO_TITLE_MAX = 90


def chunk_plan(size: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count): whole up to 64 MB, else 10 MB chunks with the remainder in the last."""
    if size <= SINGLE_CHUNK_MAX:
        return size, 1
    return CHUNK_BYTES, size // CHUNK_BYTES


class TikTokConnector(PlatformConnector):
    platform = "tiktok"
    default_scopes = ("user.info.basic", "video.publish", "video.list")

    @property
    def api_base(self) -> str:
        return (self.config.api_base or "https://open.tiktokapis.com").rstrip("/")

    @property
    def auth_base(self) -> str:
        return (self.config.auth_base or "https://www.tiktok.com").rstrip("/")

    # --- connecting ---------------------------------------------------------------------------
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {
            "client_key": self.config.client_id,
            "scope": ",".join(self.default_scopes),
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{self.auth_base}/v2/auth/authorize/?{urlencode(query)}"

    def _token(self, form: dict[str, str], action: str) -> dict[str, Any]:
        form = {"client_key": self.config.client_id, "client_secret": self.config.client_secret, **form}
        response = send(self.http, "POST", f"{self.api_base}/v2/oauth/token/", data=form)
        try:
            return check(response, action)
        except ConnectorError as exc:
            if exc.kind == ErrorKind.CONTENT:
                exc.kind = ErrorKind.AUTH  # a rejected code or refresh token: the user connects again
            raise

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        form = {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        tokens = self._tokens(self._token(form, "accept the authorization"))
        creator = self._creator_info(tokens.access_token)
        tokens.account_name = f"@{creator.get('creator_username', '')}"
        tokens.metadata = {
            "username": creator.get("creator_username", ""),
            "nickname": creator.get("creator_nickname", ""),
            **tokens.metadata,
        }
        return tokens

    def refresh(self, account: AccountCredentials) -> TokenSet:
        if not account.refresh_token:
            raise ConnectorError("Reconnect this TikTok account.", kind=ErrorKind.AUTH)
        body = self._token({"grant_type": "refresh_token", "refresh_token": account.refresh_token}, "refresh access")
        tokens = self._tokens(body)
        tokens.account_id, tokens.account_name = account.account_id, account.account_name
        tokens.metadata = {**account.metadata, **tokens.metadata}
        return tokens

    @staticmethod
    def _tokens(body: dict[str, Any]) -> TokenSet:
        refresh_expiry = expires_at_from(body.get("refresh_expires_in"))
        return TokenSet(
            access_token=str(body.get("access_token", "")),
            # Refresh tokens rotate: the previous one stops working once this arrives.
            refresh_token=str(body.get("refresh_token", "")),
            expires_at=expires_at_from(body.get("expires_in")),
            scopes=str(body.get("scope", "")).split(","),
            account_id=str(body.get("open_id", "")),
            metadata={"refresh_expires_at": refresh_expiry.isoformat() if refresh_expiry else None},
        )

    # --- publishing ---------------------------------------------------------------------------
    def _headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json; charset=UTF-8"}

    def _call(self, token: str, path: str, body: dict[str, Any], action: str, **params: str) -> dict[str, Any]:
        response = send(
            self.http, "POST", f"{self.api_base}{path}", headers=self._headers(token), json=body, params=params or None
        )
        return check(response, action)

    def _creator_info(self, token: str) -> dict[str, Any]:
        return self._call(token, "/v2/post/publish/creator_info/query/", {}, "read the creator's posting options")

    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        problems = standard_problems(self.platform, post)
        videos = [m for m in post.media if m.content_type.startswith("video/")]
        if videos and not self.config.extra.get("pull_from_url"):
            # A video goes up as FILE_UPLOAD (our bytes): only photos and PULL_FROM_URL need a public URL.
            problems = [p for p in problems if p.code != "media_not_public"]
        if videos and len(post.media) > 1:
            problems.append(Problem("media_mix", "TikTok posts one video, or photos only.", field="media"))
        if not videos and post.media and not post.title and len(post.text) > PHOTO_TITLE_MAX:
            problems.append(
                Problem("photo_title", "Photo posts use the first 90 characters as the title.", "warning", "title")
            )
        return problems

    def _privacy_level(self, creator: dict[str, Any]) -> str:
        options = [str(o) for o in creator.get("privacy_level_options") or []]
        wanted = str(self.config.extra.get("privacy_level") or "PUBLIC_TO_EVERYONE")
        # Unaudited apps are offered SELF_ONLY only; a level that is not offered is refused.
        for level in (wanted, "SELF_ONLY"):
            if level in options:
                return level
        if not options:
            raise ConnectorError("TikTok offered no privacy level for this creator.", kind=ErrorKind.CONTENT)
        return options[0]

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        if not post.media:
            raise ConnectorError("TikTok posts need a video or photos.", kind=ErrorKind.CONTENT)
        creator = self._creator_info(account.access_token)
        privacy = self._privacy_level(creator)
        video = next((m for m in post.media if m.content_type.startswith("video/")), None)
        if video is None:
            data = self._photo_init(account, post, privacy)
        else:
            max_seconds = creator.get("max_video_post_duration_sec")
            if max_seconds and video.duration_seconds and video.duration_seconds > float(max_seconds):
                raise ConnectorError(
                    f"This creator can post videos up to {max_seconds} s on TikTok.", kind=ErrorKind.CONTENT
                )
            data = self._video_init(account, post, video, privacy, creator)
        publish_id = str(data["publish_id"])
        return PublishedPost(platform_post_id=publish_id, raw={"publish_id": publish_id, "status": "PROCESSING"})

    def _video_init(
        self, account: AccountCredentials, post: PublishRequest, video: MediaItem, privacy: str, creator: dict[str, Any]
    ) -> dict[str, Any]:
        post_info = {
            "title": post.text,
            "privacy_level": privacy,
            "disable_comment": bool(creator.get("comment_disabled")),
            "disable_duet": bool(creator.get("duet_disabled")),
            "disable_stitch": bool(creator.get("stitch_disabled")),
            "video_cover_timestamp_ms": 1000,
        }
        if self.config.extra.get("pull_from_url"):
            # TikTok downloads the file itself; the URL's domain must be verified in the developer portal.
            pull: dict[str, Any] = {"source": "PULL_FROM_URL", "video_url": video.url}
            return self._call(
                account.access_token,
                "/v2/post/publish/video/init/",
                {"post_info": post_info, "source_info": pull},
                "start the video post",
            )
        data = media_bytes(self.http, video)
        chunk_size, count = chunk_plan(len(data))
        source: dict[str, Any] = {
            "source": "FILE_UPLOAD",
            "video_size": len(data),
            "chunk_size": chunk_size,
            "total_chunk_count": count,
        }
        init = self._call(
            account.access_token,
            "/v2/post/publish/video/init/",
            {"post_info": post_info, "source_info": source},
            "start the video post",
        )
        for start, chunk in self._chunks(data, chunk_size, count):
            end = start + len(chunk) - 1
            response = send(
                self.http,
                "PUT",
                init["upload_url"],
                content=chunk,
                headers={"Content-Type": video.content_type, "Content-Range": f"bytes {start}-{end}/{len(data)}"},
            )
            if not response.is_success:
                check(response, "upload the video")
        return init

    @staticmethod
    def _chunks(data: bytes, chunk_size: int, count: int) -> Iterator[tuple[int, bytes]]:
        for index in range(count):
            start = index * chunk_size
            # The last chunk takes the remainder (it may be up to 128 MB).
            yield start, data[start : None if index == count - 1 else start + chunk_size]

    def _photo_init(self, account: AccountCredentials, post: PublishRequest, privacy: str) -> dict[str, Any]:
        body = {
            "post_info": {
                "title": (post.title or post.text)[:PHOTO_TITLE_MAX],
                "description": post.text,
                "privacy_level": privacy,
                "disable_comment": False,
            },
            "source_info": {
                "source": "PULL_FROM_URL",
                "photo_images": [m.url for m in post.media],
                "photo_cover_index": 0,
            },
            "post_mode": "DIRECT_POST",
            "media_type": "PHOTO",
        }
        return self._call(account.access_token, "/v2/post/publish/content/init/", body, "start the photo post")

    # --- reading back -------------------------------------------------------------------------
    def _video_url(self, account: AccountCredentials, video_id: str) -> str:
        username = account.metadata.get("username") or account.account_name.lstrip("@")
        return f"https://www.tiktok.com/@{username}/video/{video_id}"

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        if platform_post_id.isdigit():
            video = self._query_video(account, platform_post_id, "id,create_time,share_url,title")
            if video is None:
                return None
            created = video.get("create_time")
            return PublishedPost(
                platform_post_id=platform_post_id,
                url=str(video.get("share_url") or self._video_url(account, platform_post_id)),
                published_at=datetime.fromtimestamp(int(created), tz=UTC) if created else None,
                raw=video,
            )
        status = self._call(
            account.access_token, "/v2/post/publish/status/fetch/", {"publish_id": platform_post_id}, "read the status"
        )
        state = str(status.get("status", ""))
        if state == "FAILED":
            raise ConnectorError(
                f"TikTok did not publish the post: {status.get('fail_reason') or 'failed'}.",
                kind=ErrorKind.CONTENT,
                platform_code=str(status.get("fail_reason") or "FAILED"),
                raw=status,
            )
        # The public id arrives only after moderation; a SELF_ONLY post never gets one.
        public_ids = status.get("publicaly_available_post_id") or []
        raw = {"publish_id": platform_post_id, **status}
        if state == "PUBLISH_COMPLETE" and public_ids:
            video_id = str(public_ids[0])
            return PublishedPost(platform_post_id=video_id, url=self._video_url(account, video_id), raw=raw)
        return PublishedPost(platform_post_id=platform_post_id, raw=raw)

    def _query_video(self, account: AccountCredentials, video_id: str, fields: str) -> dict[str, Any] | None:
        data = self._call(
            account.access_token,
            "/v2/video/query/",
            {"filters": {"video_ids": [video_id]}},
            "read the video",
            fields=fields,
        )
        videos = [v for v in data.get("videos") or [] if str(v.get("id")) == video_id]
        return videos[0] if videos else None

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        video_id = platform_post_id
        if not video_id.isdigit():
            resolved = self.fetch_post(account, platform_post_id)
            if resolved is None or not resolved.platform_post_id.isdigit():
                return PostMetrics(raw=resolved.raw if resolved else {})
            video_id = resolved.platform_post_id
        video = self._query_video(account, video_id, "id,like_count,comment_count,share_count,view_count") or {}
        return PostMetrics(
            views=int(video.get("view_count") or 0),
            likes=int(video.get("like_count") or 0),
            comments=int(video.get("comment_count") or 0),
            shares=int(video.get("share_count") or 0),
            raw=video,
        )
