"""Receivers that keep the audit trail, the session list and the User flags in step with allauth and axes."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import signals as allauth_signals
from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts import services
from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import SecurityEvent, User, UserSession


def _has_session(request: Any) -> bool:
    return request is not None and hasattr(request, "session")


@receiver(auth_signals.user_logged_in, dispatch_uid="accounts_logged_in")
def on_user_logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if not _has_session(request):
        return
    services.user_session_record(user=user, request=request)
    # Start the idle clock now, so the first page view does not pay for a session write.
    request.session[LAST_ACTIVITY_KEY] = time.time()
    services.security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN_OK, request=request)
    if services.account_deletion_cancel(user=user, request=request) and hasattr(request, "_messages"):
        messages.success(request, _("Welcome back. Your account is no longer scheduled for deletion."))


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts_logged_out")
def on_user_logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is None or not _has_session(request):
        return
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    services.security_event_record(user=user, kind=SecurityEvent.Kind.LOGOUT, request=request)


@receiver(auth_signals.user_login_failed, dispatch_uid="accounts_login_failed")
def on_user_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Every failed authenticate() lands here (pages and API alike), so callers need not record it themselves.
    email = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    email = email.strip().lower()[:254]
    user = User.objects.filter(email__iexact=email).first() if email else None
    services.security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, email=email)


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def on_user_locked_out(
    sender: Any, request: Any, username: str | None = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    email = (username or "").strip().lower()[:254]
    user = User.objects.filter(email__iexact=email).first() if email else None
    services.security_event_record(
        user=user, kind=SecurityEvent.Kind.LOCKED_OUT, request=request, email=email, ip=ip_address
    )


@receiver(allauth_signals.email_confirmed, dispatch_uid="accounts_email_confirmed")
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    user = email_address.user
    if services.user_email_verified_sync(user=user):
        services.security_event_record(
            user=user, kind=SecurityEvent.Kind.EMAIL_VERIFIED, request=request, email=email_address.email
        )


@receiver(allauth_signals.email_changed, dispatch_uid="accounts_email_changed")
def on_email_changed(
    sender: Any, request: Any, user: User, from_email_address: Any, to_email_address: Any, **kwargs: Any
) -> None:
    user.refresh_from_db()
    services.user_email_verified_sync(user=user)
    services.security_event_record(
        user=user,
        kind=SecurityEvent.Kind.EMAIL_CHANGED,
        request=request,
        old_email=getattr(from_email_address, "email", ""),
        new_email=getattr(to_email_address, "email", ""),
    )


@receiver(allauth_signals.password_changed, dispatch_uid="accounts_password_changed")
@receiver(allauth_signals.password_set, dispatch_uid="accounts_password_set")
def on_password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    services.security_event_record(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=request)


@receiver(allauth_signals.password_reset, dispatch_uid="accounts_password_reset")
def on_password_reset(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    # A reset means the old password may be known to someone else: sign every browser out.
    services.user_sessions_revoke_all(user=user)
    services.security_event_record(user=user, kind=SecurityEvent.Kind.PASSWORD_RESET, request=request)
