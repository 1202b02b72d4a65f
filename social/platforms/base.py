"""The one interface every platform connector implements.

Connectors speak HTTP (httpx) to one platform and know nothing of our models: they take and return
the small dataclasses below. `social.services` owns accounts, idempotency, retries and results.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

import httpx

from core.netguard import guarded_client


@lru_cache(maxsize=1)
def shared_http_client() -> httpx.Client:
    """One pooled client per process: building one loads the CA bundle (~200 ms), so never per call.

    Guarded (core.netguard): Mastodon servers, Bluesky PDSes and media links come from users and
    platforms, so no connector call may reach this server's own network.
    """
    return guarded_client()


class ErrorKind(StrEnum):
    TRANSIENT = "transient"  # 5xx, network, timeouts: retry later
    RATE_LIMITED = "rate_limited"  # 429 or the platform's own code: retry after `retry_after`
    AUTH = "auth"  # revoked/expired token: the account needs reconnecting; never retried in a loop
    CONTENT = "content"  # the platform rejected this post (duplicate, too long, policy): not retried


class ConnectorError(Exception):
    """A platform call failed; `kind` decides what the caller does next."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        status: int | None = None,
        retry_after: int | None = None,
        platform_code: str | None = None,
        raw: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        self.platform_code = platform_code
        self.raw = raw

    @property
    def retryable(self) -> bool:
        return self.kind in (ErrorKind.TRANSIENT, ErrorKind.RATE_LIMITED)


@dataclass(frozen=True)
class PlatformConfig:
    """App credentials and endpoints of one platform, from settings (env)."""

    client_id: str = ""
    client_secret: str = ""
    api_base: str = ""
    auth_base: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TokenSet:
    """What a code exchange or refresh returns."""

    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    scopes: list[str] = field(default_factory=list)
    account_id: str = ""
    account_name: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class AccountCredentials:
    """A connected account as a connector sees it (decrypted tokens, no ORM)."""

    account_id: str
    account_name: str
    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # instance URL, page id, DID, ...


@dataclass
class MediaItem:
    url: str  # publicly reachable URL (platforms that fetch media) or our storage URL
    content_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    alt_text: str = ""
    storage_path: str = ""  # for connectors that upload bytes themselves


@dataclass
class PublishRequest:
    text: str
    idempotency_key: str  # stable per (post, account): the same delivery never goes twice
    media: list[MediaItem] = field(default_factory=list)
    thread: list[str] = field(default_factory=list)  # follow-up parts where the platform has threads
    first_comment: str = ""
    title: str = ""
    link: str = ""


@dataclass
class PublishedPost:
    platform_post_id: str
    url: str = ""
    published_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class PostMetrics:
    views: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    clicks: int = 0
    reach: int = 0
    impressions: int = 0
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Problem:
    """A pre-publish check that failed: shown while writing, before scheduling."""

    code: str
    message: str
    severity: str = "error"  # "error" blocks publishing; "warning" does not
    field: str = "content"


@dataclass
class RateBudget:
    """How many posts the account may still make, and when that resets."""

    remaining: int
    limit: int
    resets_at: datetime | None = None


@dataclass(frozen=True)
class PostCharge:
    """What the platform bills the app for one post (X is pay-per-use since 2026)."""

    amount: Decimal
    currency: str = "USD"


class PlatformConnector(abc.ABC):
    platform: str = ""
    uses_oauth: bool = True
    supports_pkce: bool = False
    supports_idempotency_key: bool = False  # only Mastodon accepts an Idempotency-Key header
    default_scopes: tuple[str, ...] = ()

    def __init__(self, *, config: PlatformConfig | None = None, http: httpx.Client | None = None) -> None:
        self.config = config or PlatformConfig()
        self.http = http or shared_http_client()

    # --- connecting ---------------------------------------------------------------------------
    @abc.abstractmethod
    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        """Where to send the user to grant access."""

    @abc.abstractmethod
    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        """Trade an authorization code for tokens and the account's identity."""

    @abc.abstractmethod
    def refresh(self, account: AccountCredentials) -> TokenSet:
        """New tokens before the old ones expire. ConnectorError(kind=AUTH) when revoked."""

    # --- publishing ---------------------------------------------------------------------------
    def validate(self, post: PublishRequest, *, account: AccountCredentials | None = None) -> list[Problem]:
        """Problems that would make the platform refuse this post (limits, media)."""
        from social.platforms.checks import standard_problems

        return standard_problems(self.platform, post)

    @abc.abstractmethod
    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        """Create the post. Raises ConnectorError on failure."""

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        """Read back: did an earlier, interrupted attempt already create this post? None if unsure-no."""
        return None

    @abc.abstractmethod
    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        """The post as the platform has it now, or None when it is gone."""

    @abc.abstractmethod
    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        """Current engagement of one published post."""

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        """The account's remaining posting budget, when the platform tells it."""
        return None

    def charge_rates(self) -> tuple[Decimal, Decimal] | None:
        """What one post costs the app, without and with a link (USD), when the platform charges."""
        return None

    def post_charge(self, post: PublishRequest) -> PostCharge | None:
        """What publishing `post` (every part of a thread) costs the app, when the platform charges."""
        return None
