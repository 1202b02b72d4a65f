"""Browser-session security: idle sign-out, the two-factor gate, and the session list's last-seen time."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import UserSession
from core.api.exceptions import json_error_response

LAST_ACTIVITY_KEY = "_cg_last_activity"
# Writing the session and the UserSession row on every request would be a write per click.
TOUCH_EVERY_SECONDS = 60
EXEMPT_PREFIXES = ("/static/", "/media/", "/healthz", "/readyz", "/favicon")


class SessionSecurityMiddleware:
    """Runs after authentication, OTP and messages middleware (see the accounts settings block)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(EXEMPT_PREFIXES):
            return None
        session = request.session
        now = time.time()
        last = session.get(LAST_ACTIVITY_KEY)
        idle_limit = settings.SESSION_IDLE_TIMEOUT
        if idle_limit and last is not None and now - float(last) > idle_limit:
            return self._sign_out(request, _("You were signed out after a period of inactivity."))
        if user.two_factor_enabled and not user.is_verified():
            # A session that got in without the second factor (e.g. a login path outside allauth) is not trusted.
            return self._sign_out(request, _("Please sign in again with your two-factor code."))
        if last is None or now - float(last) >= TOUCH_EVERY_SECONDS:
            session[LAST_ACTIVITY_KEY] = now
            if session.session_key:
                UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=timezone.now())
        return None

    def _sign_out(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return json_error_response(401, "INVALID_AUTHENTICATION", message)
        messages.info(request, message)
        login_url = resolve_url(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
