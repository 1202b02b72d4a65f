"""Meter authenticated /api/ requests against the team's `api_calls` quota.

Runs DRF's own token authenticators (JWT, API key) and reads the session user, so every way of calling the API counts; a
request over the quota is refused with 429 QUOTA_EXCEEDED in the envelope before the view runs, and
a request that fails on our side (5xx) gives its unit back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from accounts.models import User
from billing.services import quota_consume, quota_release
from core.api.casing import camelize
from core.api.errors import QuotaExceeded
from core.api.exceptions import error_body
from teams.models import Team
from teams.permissions import team_context

UNMETERED_PREFIXES = ("/api/billing/webhook/", "/api/schema/", "/api/docs/", "/api/auth/")


def _api_user(request: HttpRequest) -> User | None:
    """The caller as DRF will see it. Session users come from Django's auth middleware: running
    SessionAuthentication here would enforce CSRF before the view and consume the request body."""
    original = request.__dict__.get("user")
    classes: list[type[BaseAuthentication]] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)  # type: ignore[arg-type]
    authenticators = [auth() for auth in classes if not issubclass(auth, SessionAuthentication)]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None  # a bad token: the view answers 401 itself
    finally:
        if original is not None:
            request.user = original  # DRF's Request writes its result back onto the HttpRequest
    if isinstance(user, User):
        return user
    session_user = getattr(request, "user", None)
    return session_user if isinstance(session_user, User) and session_user.is_authenticated else None


def _api_user_team(request: HttpRequest) -> Team | None:
    user = _api_user(request)
    if user is None:
        return None
    try:
        return team_context(user=user, requested_team_id=request.headers.get("X-Team-ID") or None).team
    except Http404:
        return None


class ApiCallMeteringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not settings.BILLING_METER_API_CALLS
            or settings.SELF_HOSTED
            or not request.path.startswith("/api/")
            or request.path.startswith(UNMETERED_PREFIXES)
            or request.method == "OPTIONS"
        ):
            return self.get_response(request)
        team = _api_user_team(request)
        if team is None:
            return self.get_response(request)
        try:
            quota_consume(team=team, kind="api_calls")
        except QuotaExceeded as exc:
            body = error_body(
                code=exc.code,
                message=exc.message,
                details=camelize(exc.details),
                retryable=exc.retryable,
                retry_after=exc.retry_after,
            )
            refusal = JsonResponse(body, status=exc.status_code)
            if exc.retry_after is not None:
                refusal["Retry-After"] = str(exc.retry_after)
            return refusal
        response = self.get_response(request)
        if response.status_code >= 500:
            quota_release(team=team, kind="api_calls")
        return response
