"""Rate limits that tell the client where it stands: `X-RateLimit-Limit/Remaining/Reset`.

DRF throttles only answer allow/deny; these record the window state on the request and
`RateLimitHeadersMiddleware` copies it onto the response, allowed or throttled (429).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_at: int  # epoch seconds when the oldest counted request leaves the window


class RecordingRateThrottle(SimpleRateThrottle):
    """A sliding-window throttle whose rate is chosen per request, read from settings at call time."""

    cache_prefix = "throttle"

    def __init__(self) -> None:
        # The rate depends on the request (plan tier), so it is resolved in allow_request.
        self.rate: str | None = None

    def rate_for(self, request: Request) -> str | None:
        """The rate (`"100/hour"`) for this request; None means unlimited. Subclasses choose."""
        return None

    def allow_request(self, request: Request, view: Any) -> bool:
        rate = self.rate_for(request)
        if not rate:
            return True
        limit, duration = self.parse_rate(rate)
        if limit is None or duration is None:
            return True
        self.rate, self.num_requests, self.duration = rate, limit, duration
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - duration:
            self.history.pop()
        allowed = len(self.history) < limit
        if allowed:
            self.throttle_success()
        oldest = self.history[-1] if self.history else self.now
        self._record(
            request,
            RateLimitState(
                limit=limit, remaining=max(0, limit - len(self.history)), reset_at=math.ceil(oldest + duration)
            ),
        )
        return allowed

    @staticmethod
    def _record(request: Request, state: RateLimitState) -> None:
        django_request: Any = getattr(request, "_request", request)
        previous: RateLimitState | None = getattr(django_request, "rate_limit", None)
        # With several throttles on one view the client needs the tightest one.
        if previous is None or state.remaining < previous.remaining:
            django_request.rate_limit = state


class AuthRateThrottle(RecordingRateThrottle):
    """Login and sign-up, per client IP, whoever the caller claims to be."""

    def rate_for(self, request: Request) -> str | None:
        return settings.API_RATE_LIMIT_AUTH

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return f"{self.cache_prefix}:auth:{self.get_ident(request)}"


class RefreshRateThrottle(RecordingRateThrottle):
    """Token refresh, per client IP: a bucket of its own so many users behind one NAT can stay signed in."""

    def rate_for(self, request: Request) -> str | None:
        return settings.API_RATE_LIMIT_REFRESH

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return f"{self.cache_prefix}:refresh:{self.get_ident(request)}"


class RateLimitHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state: RateLimitState | None = getattr(request, "rate_limit", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset_at)
        return response
