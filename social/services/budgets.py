"""Posting budgets: counters in the cache, one per fixed window, per account and per app, plus
what the platform itself last reported.

Figures are the platforms' published posting limits (docs/platforms.md and the platform reference):
X allows 100 posts per 15 minutes per user and 10,000 a day per app; Mastodon 300 requests per
5 minutes per account; Bluesky's PDS about 1,666 record writes per hour; Instagram 100 API-published
posts per 24 hours. Settings can override any of them (SOCIAL_POSTING_BUDGETS).

The platform's own figure wins when it is tighter: the rate-limit headers of the last post (X,
Mastodon, Bluesky) and Instagram's live `content_publishing_limit` are kept in the account's
metadata under `rate_limit` (`platform_budget_record`), and `budget_for` shows the tightest.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache

from core.cache import count_up
from social.models import SocialAccount
from social.platforms.base import ConnectorError, RateBudget
from social.platforms.http import budget_from_metadata
from social.services.credentials import account_credentials, connector_for_account

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    scope: str  # "account" or "app"
    limit: int
    seconds: int


DEFAULT_BUDGETS: dict[str, tuple[Window, ...]] = {
    "twitter": (Window("account", 100, 15 * 60), Window("app", 10_000, 24 * 3600)),
    "mastodon": (Window("account", 300, 5 * 60),),
    "bluesky": (Window("account", 1_666, 3600),),
    "instagram": (Window("account", 100, 24 * 3600),),
    "facebook": (Window("account", 200, 3600),),
    "linkedin": (Window("account", 150, 24 * 3600),),
    "tiktok": (Window("account", 15, 24 * 3600),),
    "sandbox": (Window("account", 50, 15 * 60),),
}


@dataclass(frozen=True)
class Budget:
    remaining: int
    limit: int
    resets_at: datetime | None
    source: str = "app"  # "app": our own counters; "platform": what the platform reported


def _windows(platform: str) -> tuple[Window, ...]:
    overrides = getattr(settings, "SOCIAL_POSTING_BUDGETS", {}).get(platform)
    if overrides:
        return tuple(Window(w["scope"], int(w["limit"]), int(w["seconds"])) for w in overrides)
    return DEFAULT_BUDGETS.get(platform, ())


def _key(account: SocialAccount, window: Window, now: float) -> tuple[str, float]:
    start = now - now % window.seconds
    owner = str(account.pk) if window.scope == "account" else "app"
    return f"social:budget:{account.platform}:{owner}:{window.seconds}:{int(start)}", start + window.seconds


def platform_budget(account: SocialAccount) -> Budget | None:
    """The budget the platform last reported for this account (a window that has reset counts as full)."""
    reported = budget_from_metadata(account.metadata or {})
    if reported is None:
        return None
    return Budget(reported.remaining, reported.limit, reported.resets_at, source="platform")


def platform_budget_as_metadata(budget: RateBudget) -> dict[str, Any]:
    return {
        "limit": int(budget.limit),
        "remaining": max(0, int(budget.remaining)),
        "reset_at": budget.resets_at.isoformat() if budget.resets_at else None,
    }


def platform_budget_record(account: SocialAccount, reported: dict[str, Any] | RateBudget | None) -> None:
    """Keep what the platform said about the posting budget (headers or a quota endpoint) on the account."""
    if isinstance(reported, RateBudget):
        reported = platform_budget_as_metadata(reported)
    if not reported or "limit" not in reported or "remaining" not in reported:
        return
    if (account.metadata or {}).get("rate_limit") == reported:
        return
    account.metadata = {**(account.metadata or {}), "rate_limit": reported}
    SocialAccount.objects.filter(pk=account.pk).update(metadata=account.metadata)


def budget_for(account: SocialAccount) -> Budget | None:
    """The tightest remaining budget across the account's windows and the platform's own report
    (None: neither sets one)."""
    now = time.time()
    tightest: Budget | None = platform_budget(account)
    for window in _windows(account.platform):
        key, ends = _key(account, window, now)
        used = int(cache.get(key) or 0)
        budget = Budget(max(window.limit - used, 0), window.limit, datetime.fromtimestamp(ends, tz=UTC))
        if tightest is None or budget.remaining < tightest.remaining:
            tightest = budget
    return tightest


def budget_reserve(account: SocialAccount) -> Budget | None:
    """Take one post from every window, or none: returns the exhausted window's budget when refused."""
    return budget_reserve_many(account, 1)[1]


def budget_reserve_many(account: SocialAccount, count: int, *, now: float | None = None) -> tuple[int, Budget | None]:
    """Take up to `count` posts from every window at once, one cache round trip per window: how many were
    taken (as many from each window) and, when fewer than `count`, the budget of the window that ran out.
    `now` (a timestamp) picks the windows; give back with the same `now`, or the posts return to a later
    window that never counted them."""
    now = time.time() if now is None else now
    counted: list[str] = []
    granted, exhausted = count, None
    for window in _windows(account.platform):
        key, ends = _key(account, window, now)
        used = count_up(key, window.seconds + 60, count)
        if used is None:
            # The cache could not count (an outage with no fallback): post, and let the platform's own
            # limit answer; refusing every post while Redis is down would be worse.
            logger.warning("posting budget not counted: the cache did not answer", extra={"key": key})
            continue
        counted.append(key)
        fits = max(0, min(count, window.limit - (used - count)))
        if fits < granted:
            granted, exhausted = fits, Budget(0, window.limit, datetime.fromtimestamp(ends, tz=UTC))
    if granted < count:
        for key in counted:
            _give_back(key, count - granted)
    return granted, exhausted


def budget_release(account: SocialAccount, count: int = 1, *, now: float | None = None) -> None:
    """Give reserved posts back when the platform certainly did not post them (`now`: when they were taken)."""
    now = time.time() if now is None else now
    for window in _windows(account.platform):
        _give_back(_key(account, window, now)[0], count)


def _give_back(key: str, count: int = 1) -> None:
    try:
        used = int(cache.get(key) or 0)
        if used > 0:
            cache.decr(key, min(count, used))
    except ValueError:
        pass


def account_budget_sync(account: SocialAccount, *, http: Any = None) -> Budget | None:
    """Ask the platform for the account's posting budget when it has an endpoint for it (Instagram's
    `content_publishing_limit`) and keep the answer; a failed read leaves the last known figure."""
    try:
        reported = connector_for_account(account, http=http).rate_budget(account_credentials(account))
    except ConnectorError:
        return platform_budget(account)
    except (httpx.HTTPError, ValueError, TypeError, KeyError):  # a bad answer must not break connecting
        logger.warning("posting budget read failed", extra={"social_account": str(account.pk)}, exc_info=True)
        return platform_budget(account)
    if reported is not None:
        platform_budget_record(account, reported)
    return platform_budget(account)
