"""The sandbox platform: a real, local social network for the embedded default, demos and tests.

It keeps every post it receives as a `SandboxPost` row (one per delivery, so double posting is
countable), answers read-back by idempotency key, and grows plausible metrics with the post's age.
It can be told to fail, to exercise retries and error classes without a real platform:
- the account's metadata `{"sandbox_fail": "<mode>"}`, or
- a marker in the text: `[sandbox:fail=<mode>]`,
where mode is `transient` (a 503), `rate_limited` (a 429 with a reset), `auth` (a revoked token),
`content` (a rejection), `after_delivery` (the post is stored, then the answer is lost, as when
a connection drops after the platform accepted the post), `slow` (the answer takes a while) or
`hang_after_delivery` (the post is stored, then the call sleeps before answering: a worker can be
killed while it waits, with the platform already holding the post). Both sleep for the account's
metadata `sandbox_sleep_seconds` (default 30).
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
import uuid
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from social.platforms.base import (
    AccountCredentials,
    ConnectorError,
    ErrorKind,
    PlatformConnector,
    PostMetrics,
    PublishedPost,
    PublishRequest,
    RateBudget,
    TokenSet,
)

FAIL_MARKER = re.compile(r"\[sandbox:fail=(\w+)\]")
RATE_LIMIT_RESET_SECONDS = 120
DEFAULT_SLEEP_SECONDS = 30.0


def _failure_mode(account: AccountCredentials, text: str = "") -> str:
    marker = FAIL_MARKER.search(text)
    if marker:
        return marker.group(1)
    return str(account.metadata.get("sandbox_fail", ""))


def _raise_for(mode: str) -> None:
    if mode == "transient":
        raise ConnectorError("Sandbox is temporarily unavailable (503).", kind=ErrorKind.TRANSIENT, status=503)
    if mode == "rate_limited":
        raise ConnectorError(
            "Sandbox rate limit reached (429).",
            kind=ErrorKind.RATE_LIMITED,
            status=429,
            retry_after=RATE_LIMIT_RESET_SECONDS,
        )
    if mode in {"auth", "revoked"}:
        raise ConnectorError("The sandbox token was revoked (401).", kind=ErrorKind.AUTH, status=401)
    if mode == "content":
        raise ConnectorError(
            "Sandbox rejected this post: it breaks the house rules.", kind=ErrorKind.CONTENT, status=422
        )


def _in_app(path: str) -> str:
    """The sandbox's posts live in this app: its "View post" links open the in-app timeline."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@lru_cache(maxsize=4)
def _delivery_path(script_prefix: str) -> str:
    """A delivery's path with a placeholder id: reversed once, not for every post of a burst (~0.1 ms each)."""
    return reverse("social:sandbox_delivery", args=[_PLACEHOLDER])


def _token_lifetime() -> timedelta:
    return timedelta(seconds=getattr(settings, "SOCIAL_SANDBOX_TOKEN_SECONDS", 7200))


def _new_tokens(account_id: str, account_name: str) -> TokenSet:
    return TokenSet(
        access_token=f"sbx_at_{secrets.token_urlsafe(24)}",
        refresh_token=f"sbx_rt_{secrets.token_urlsafe(24)}",
        expires_at=timezone.now() + _token_lifetime(),
        scopes=list(SandboxConnector.default_scopes),
        account_id=account_id,
        account_name=account_name,
    )


class SandboxConnector(PlatformConnector):
    platform = "sandbox"
    uses_oauth = True
    supports_pkce = True
    supports_idempotency_key = True
    default_scopes = ("post.write", "post.read", "metrics.read")

    def authorize_url(self, *, state: str, redirect_uri: str, code_challenge: str | None = None) -> str:
        query = {"state": state, "redirect_uri": redirect_uri, "scope": " ".join(self.default_scopes)}
        if code_challenge:
            query.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{reverse('social:sandbox_authorize')}?{urlencode(query)}"

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        code = code.strip()
        if not code or code == "denied":
            raise ConnectorError("The sandbox refused this authorization code.", kind=ErrorKind.AUTH, status=400)
        # The same code names the same sandbox profile, so reconnecting updates one account.
        digest = hashlib.sha256(code.encode()).hexdigest()[:10]
        tokens = _new_tokens(f"sandbox-{digest}", f"Sandbox {digest[:4].upper()}")
        tokens.metadata = {"profile_url": _in_app(reverse("social:sandbox"))}
        return tokens

    def refresh(self, account: AccountCredentials) -> TokenSet:
        _raise_for(_failure_mode(account))
        if not account.refresh_token:
            raise ConnectorError("No sandbox refresh token.", kind=ErrorKind.AUTH, status=400)
        return _new_tokens(account.account_id, account.account_name)

    def publish(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost:
        from social.models import SandboxPost

        mode = _failure_mode(account, post.text)
        _raise_for(mode)
        pause = float(account.metadata.get("sandbox_sleep_seconds", DEFAULT_SLEEP_SECONDS))
        if mode == "slow":
            time.sleep(pause)
        row = SandboxPost.objects.create(
            account_id=account.account_id,
            account_name=account.account_name,
            text=post.text,
            thread=list(post.thread),
            first_comment=post.first_comment,
            media=[{"url": m.url, "contentType": m.content_type, "sizeBytes": m.size_bytes} for m in post.media],
            idempotency_key=post.idempotency_key,
        )
        if mode == "after_delivery":
            raise ConnectorError("The sandbox connection dropped before it answered.", kind=ErrorKind.TRANSIENT)
        if mode == "hang_after_delivery":
            time.sleep(pause)  # the post is stored (autocommit); the answer is late
        return self._published(row)

    def find_existing(self, account: AccountCredentials, post: PublishRequest) -> PublishedPost | None:
        from social.models import SandboxPost

        row = (
            SandboxPost.objects.filter(account_id=account.account_id, idempotency_key=post.idempotency_key)
            .order_by("created_at")
            .first()
        )
        return self._published(row) if row else None

    def fetch_post(self, account: AccountCredentials, platform_post_id: str) -> PublishedPost | None:
        from social.models import SandboxPost

        row = SandboxPost.objects.filter(pk=platform_post_id, account_id=account.account_id).first()
        return self._published(row) if row else None

    def fetch_metrics(self, account: AccountCredentials, platform_post_id: str) -> PostMetrics:
        from social.models import SandboxPost

        _raise_for(_failure_mode(account))
        try:
            row = SandboxPost.objects.filter(pk=uuid.UUID(platform_post_id), account_id=account.account_id).first()
        except ValueError:  # not an id the sandbox ever gave out
            row = None
        if row is None:
            raise ConnectorError("No such sandbox post.", kind=ErrorKind.CONTENT, status=404)
        return sandbox_metrics(str(row.pk), age=timezone.now() - row.created_at)

    def rate_budget(self, account: AccountCredentials) -> RateBudget | None:
        return None

    @staticmethod
    def _published(row: object) -> PublishedPost:
        pk = str(row.pk)  # type: ignore[attr-defined]
        return PublishedPost(
            platform_post_id=pk,
            url=_in_app(_delivery_path(get_script_prefix()).replace(_PLACEHOLDER, pk)),
            published_at=row.created_at,  # type: ignore[attr-defined]
            raw={"id": pk},
        )


# What the sandbox's counters mean (as real platforms define theirs, e.g. LinkedIn and Meta):
# impressions = times the post was shown in a feed (one person can be shown it several times),
# reach = distinct accounts it was shown to, views = times it was opened or watched for 2 s or more.
# So impressions >= reach >= views, always.
SANDBOX_DEFINITIONS = {
    "impressions": "times shown in a feed, repeats included",
    "reach": "distinct accounts shown the post",
    "views": "times opened or watched for 2 seconds or more",
}


def _grown(hours: float, *, fast_hours: float, slow_hours: float, fast_share: float) -> float:
    """Share (0..1) of a post's final count reached `hours` after publishing: a burst, then a long tail."""
    return fast_share * (1 - math.exp(-hours / fast_hours)) + (1 - fast_share) * (1 - math.exp(-hours / slow_hours))


def sandbox_metrics(post_id: str, *, age: timedelta) -> PostMetrics:
    """Simulated metrics: deterministic from the id, non-decreasing in age, with daily gains that decay.

    Most of a post's audience arrives on its first day and a tail over the next weeks; interactions
    fade faster than impressions (people react while the post is fresh), as on real networks.
    """
    seed = int(hashlib.sha256(post_id.encode()).hexdigest()[:16], 16)
    ceiling = 800 + seed % 6200  # final impressions
    reach_share = 0.6 + (seed >> 16) % 25 / 100  # 0.60-0.84 of impressions
    view_share = 0.35 + (seed >> 24) % 35 / 100  # 0.35-0.69 of reach
    like_rate = 0.015 + (seed >> 32) % 45 / 1000  # of final impressions
    hours = max(age.total_seconds(), 0) / 3600
    audience = ceiling * _grown(hours, fast_hours=18, slow_hours=24 * 7, fast_share=0.75)
    reacting = ceiling * like_rate * _grown(hours, fast_hours=10, slow_hours=24 * 4, fast_share=0.85)
    reach = audience * reach_share
    return PostMetrics(
        impressions=int(audience),
        reach=int(reach),
        views=int(reach * view_share),
        likes=int(reacting),
        comments=int(reacting / 6),
        shares=int(reacting / 4),
        clicks=int(audience * 0.008),
        raw={"sandbox": True, "simulated": True, "definitions": SANDBOX_DEFINITIONS},
    )
