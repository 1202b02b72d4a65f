"""Retries with backoff and a circuit breaker per provider, its state in the shared cache.

The breaker opens after AI_CIRCUIT_FAILURE_THRESHOLD consecutive failed calls and stays open for
AI_CIRCUIT_RESET_SECONDS; then one call is let through (half-open) and its outcome decides.
Keeping the state in the cache (Redis in production) means every web process skips a dead provider.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from content.providers.base import ProviderError

T = TypeVar("T")


def _key(provider: str) -> str:
    return f"ai:circuit:{provider}"


class CircuitBreaker:
    def __init__(self, provider: str) -> None:
        self.provider = provider

    def _state(self) -> dict[str, float]:
        return cache.get(_key(self.provider)) or {"failures": 0, "opened_until": 0.0}

    def allows(self) -> bool:
        return self._state()["opened_until"] <= time.time()

    def retry_in(self) -> int:
        return max(0, int(self._state()["opened_until"] - time.time()) + 1)

    def record_success(self) -> None:
        if self._state()["failures"]:
            cache.delete(_key(self.provider))

    def record_failure(self) -> None:
        state = self._state()
        failures = int(state["failures"]) + 1
        opened_until = state["opened_until"]
        if failures >= settings.AI_CIRCUIT_FAILURE_THRESHOLD:
            opened_until = time.time() + settings.AI_CIRCUIT_RESET_SECONDS
            failures = settings.AI_CIRCUIT_FAILURE_THRESHOLD - 1  # half-open: one more failure reopens it
        cache.set(
            _key(self.provider),
            {"failures": failures, "opened_until": opened_until},
            timeout=settings.AI_CIRCUIT_RESET_SECONDS * 10,
        )


def backoff_delay(attempt: int, retry_after: float | None = None) -> float:
    """Full-jitter exponential backoff; Retry-After when the server gave one. Capped either way."""
    cap = settings.AI_RETRY_MAX_DELAY
    if retry_after is not None:
        return min(retry_after, cap)
    return random.uniform(0, min(cap, settings.AI_RETRY_BASE_DELAY * (2**attempt)))  # noqa: S311


def call_with_retry(
    call: Callable[[], T],
    *,
    attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[ProviderError, float], None] | None = None,
) -> T:
    """Call, retrying retryable ProviderErrors; the last error propagates."""
    total = max(1, attempts or settings.AI_RETRY_ATTEMPTS)
    for attempt in range(total):
        try:
            return call()
        except ProviderError as exc:
            if not exc.retryable or attempt == total - 1:
                raise
            delay = backoff_delay(attempt, exc.retry_after)
            if on_retry:
                on_retry(exc, delay)
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
