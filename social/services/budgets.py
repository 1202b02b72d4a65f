"""Posting budgets: counters in the cache, one per fixed window, per account and per app.

Figures are the platforms' published posting limits (docs/platforms.md and the platform reference):
X allows 100 posts per 15 minutes per user and 10,000 a day per app; Mastodon 300 requests per
5 minutes per account; Bluesky's PDS about 1,666 record writes per hour; Instagram 100 API-published
posts per 24 hours (its own endpoint reports the live figure through `rate_budget`).
Settings can override any of them (SOCIAL_POSTING_BUDGETS).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from social.models import SocialAccount


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
    resets_at: datetime


def _windows(platform: str) -> tuple[Window, ...]:
    overrides = getattr(settings, "SOCIAL_POSTING_BUDGETS", {}).get(platform)
    if overrides:
        return tuple(Window(w["scope"], int(w["limit"]), int(w["seconds"])) for w in overrides)
    return DEFAULT_BUDGETS.get(platform, ())


def _key(account: SocialAccount, window: Window, now: float) -> tuple[str, float]:
    start = now - now % window.seconds
    owner = str(account.pk) if window.scope == "account" else "app"
    return f"social:budget:{account.platform}:{owner}:{window.seconds}:{int(start)}", start + window.seconds


def budget_for(account: SocialAccount) -> Budget | None:
    """The tightest remaining budget across the account's windows (None: the platform sets none)."""
    now = time.time()
    tightest: Budget | None = None
    for window in _windows(account.platform):
        key, ends = _key(account, window, now)
        used = int(cache.get(key) or 0)
        budget = Budget(max(window.limit - used, 0), window.limit, datetime.fromtimestamp(ends, tz=UTC))
        if tightest is None or budget.remaining < tightest.remaining:
            tightest = budget
    return tightest


def budget_reserve(account: SocialAccount) -> Budget | None:
    """Take one post from every window, or none: returns the exhausted window's budget when refused."""
    now = time.time()
    taken: list[str] = []
    for window in _windows(account.platform):
        key, ends = _key(account, window, now)
        cache.add(key, 0, timeout=window.seconds + 60)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=window.seconds + 60)
            used = 1
        taken.append(key)
        if used > window.limit:
            for done in taken:
                _give_back(done)
            return Budget(0, window.limit, datetime.fromtimestamp(ends, tz=UTC))
    return None


def budget_release(account: SocialAccount) -> None:
    """Give a reserved post back when the platform certainly did not post it."""
    now = time.time()
    for window in _windows(account.platform):
        _give_back(_key(account, window, now)[0])


def _give_back(key: str) -> None:
    try:
        if int(cache.get(key) or 0) > 0:
            cache.decr(key)
    except ValueError:
        pass
