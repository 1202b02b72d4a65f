"""Writes for accounts: security events, sessions, two-factor, preferences, data export and deletion."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.models import (
    AccountDeletion,
    DataExport,
    RecoveryCode,
    RecoveryCodeDevice,
    SecurityEvent,
    User,
    UserPreferences,
    UserSession,
)
from accounts.models import SealedTOTPDevice as TOTPDevice

logger = logging.getLogger(__name__)

# Sent (on commit) when failed sign-ins from one IP or on one account cross the threshold.
# Receivers live in higher apps (teams notifies platform admins); accounts only emails ADMINS.
intrusion_suspected = Signal()


# --- Security events --------------------------------------------------------------------------


def request_client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    # Same resolution axes uses for lockouts, so the audit trail and the lockout agree on "who".
    return get_client_ip_address(request) or None


def request_user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:400]


def security_event_record(
    *, user: User | None, kind: str, request: HttpRequest | None = None, **data: Any
) -> SecurityEvent:
    """Append one event to the audit trail; failed sign-ins also feed intrusion detection.

    `data` must be JSON-serialisable and must never carry secrets (tokens, passwords, codes).
    `ip=` may be passed explicitly when there is no request (API callers that resolved it already).
    """
    ip = data.pop("ip", None) or request_client_ip(request)
    user_agent = data.pop("user_agent", None) or request_user_agent(request)
    event = SecurityEvent.objects.create(
        user=user if user is not None and user.pk else None,
        kind=kind,
        ip=ip,
        user_agent=user_agent,
        data=data,
    )
    if kind == SecurityEvent.Kind.LOGIN_FAILED:
        intrusion_check(event=event)
    return event


def intrusion_check(*, event: SecurityEvent) -> list[dict[str, Any]]:
    """Raise an alert when failed sign-ins from one IP, or on one account, cross the threshold in the window.

    One alert per IP/account per window: the cache key is added atomically, so concurrent failures
    do not alert twice.
    """
    threshold = settings.INTRUSION_FAILED_LOGIN_THRESHOLD
    window = timedelta(seconds=settings.INTRUSION_WINDOW_SECONDS)
    since = event.created_at - window
    failures = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, created_at__gte=since)
    alerts: list[dict[str, Any]] = []
    subjects: list[tuple[str, str, Any]] = []
    if event.ip:
        subjects.append(("ip", event.ip, failures.filter(ip=event.ip)))
    account = event.user_id or str(event.data.get("email", "")).lower()
    if account:
        scope = failures.filter(user_id=event.user_id) if event.user_id else failures.filter(data__email=account)
        subjects.append(("account", str(account), scope))
    for scope_name, value, queryset in subjects:
        count = queryset.count()
        if count < threshold:
            continue
        if not cache.add(f"intrusion:{scope_name}:{value}", 1, timeout=settings.INTRUSION_WINDOW_SECONDS):
            continue
        alert = {"scope": scope_name, "value": value, "failures": count, "window_seconds": int(window.total_seconds())}
        SecurityEvent.objects.create(
            user_id=event.user_id if scope_name == "account" and event.user_id else None,
            kind=SecurityEvent.Kind.INTRUSION_SUSPECTED,
            ip=event.ip,
            user_agent=event.user_agent,
            data=alert,
        )
        alerts.append(alert)
        transaction.on_commit(partial(_alert_admins, alert))
    return alerts


def _alert_admins(alert: dict[str, Any]) -> None:
    from django.core.mail import mail_admins

    subject = f"Repeated failed sign-ins ({alert['scope']} {alert['value']})"
    message = (
        f"{alert['failures']} failed sign-ins within {alert['window_seconds'] // 60} minutes "
        f"for {alert['scope']} {alert['value']}. Review the security events in the admin."
    )
    logger.warning("intrusion suspected", extra={"alert": alert})
    mail_admins(subject, message, fail_silently=True)
    intrusion_suspected.send(sender=SecurityEvent, alert=alert, subject=subject, message=message)


# --- Sessions ---------------------------------------------------------------------------------


def session_store_delete(session_key: str) -> None:
    from importlib import import_module

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore().delete(session_key)


def user_session_record(*, user: User, request: HttpRequest) -> UserSession | None:
    """Remember the browser session a sign-in created, so the user can see and revoke it."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": request_client_ip(request),
            "user_agent": request_user_agent(request),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    return row


def user_session_revoke(*, session: UserSession, request: HttpRequest | None = None) -> None:
    """Sign a browser out remotely: the session leaves the store, so its cookie stops working at once."""
    session_store_delete(session.session_key)
    security_event_record(
        user=session.user,
        kind=SecurityEvent.Kind.SESSION_REVOKED,
        request=request,
        session_ip=session.ip,
        session_user_agent=session.user_agent[:200],
    )
    session.delete()


def user_sessions_revoke_all(*, user: User, keep_session_key: str | None = None) -> int:
    revoked = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        session_store_delete(row.session_key)
        row.delete()
        revoked += 1
    return revoked


# --- Two-factor -------------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed TOTP device for enrolment; earlier unfinished enrolments are discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _recovery_codes_issue(*, user: User) -> list[str]:
    from accounts.otp import RECOVERY_CODE_COUNT, recovery_code_generate, recovery_code_hash

    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [recovery_code_generate() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, code_hash=recovery_code_hash(c)) for c in codes])
    return codes


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str, request: HttpRequest | None = None) -> list[str] | None:
    """Confirm enrolment with a code from the app; returns the ten recovery codes (shown once) or None."""
    if device.confirmed or not device.verify_token(token):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(user=user)
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled", "updated_at"])
    security_event_record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_ENABLED, request=request)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    codes = _recovery_codes_issue(user=user)
    security_event_record(user=user, kind=SecurityEvent.Kind.RECOVERY_CODES_REGENERATED, request=request)
    return codes


def two_factor_verify(*, user: User, token: str, request: HttpRequest | None = None) -> Device | None:
    """The device that accepts `token` (an app code or an unused recovery code), or None."""
    token = "".join((token or "").split())
    if not token:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if token.isdigit() and device.verify_token(token):
            return device
    for recovery in RecoveryCodeDevice.objects.filter(user=user, confirmed=True):
        if recovery.verify_token(token):
            remaining = RecoveryCode.objects.filter(device=recovery, used_at__isnull=True).count()
            security_event_record(
                user=user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED, request=request, remaining=remaining
            )
            return recovery
    security_event_record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request)
    return None


@transaction.atomic
def two_factor_disable(*, user: User, request: HttpRequest | None = None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled", "updated_at"])
    security_event_record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_DISABLED, request=request)


# --- Profile and preferences ------------------------------------------------------------------


def user_preferences_ensure(*, user: User) -> UserPreferences:
    """Preferences are created on first use, so users created before them need no backfill."""
    prefs, _created = UserPreferences.objects.get_or_create(user=user)
    return prefs


def user_email_verified_sync(*, user: User) -> bool:
    """Mirror allauth's verified flag of the primary address onto User.email_verified."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    if user.email_verified != verified:
        user.email_verified = verified
        user.save(update_fields=["email_verified", "updated_at"])
    return verified


def user_email_verified_by_link(*, user: User, via: str) -> None:
    """Mark the user's address verified after they followed a link that only that address received
    (an invitation to a team, for instance). Recorded like a confirmation from the verification mail."""
    from allauth.account.models import EmailAddress

    if user.email_verified:
        return
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True):
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if user_email_verified_sync(user=user):
        security_event_record(user=user, kind=SecurityEvent.Kind.EMAIL_VERIFIED, email=user.email, via=via)


# --- Data export and account deletion ---------------------------------------------------------


def data_export_request(*, user: User, request: HttpRequest | None = None) -> DataExport:
    """Queue a ZIP of the user's data; the task runs once the row is committed."""
    from accounts.tasks import build_data_export

    export = DataExport.objects.create(user=user)
    security_event_record(user=user, kind=SecurityEvent.Kind.DATA_EXPORT_REQUESTED, request=request)
    transaction.on_commit(lambda: build_data_export.delay(str(export.pk)))
    return export


def account_deletion_request(*, user: User, request: HttpRequest | None = None) -> AccountDeletion:
    """Schedule deletion after the grace period; signing in before then cancels it."""
    when = timezone.now() + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
    deletion, _created = AccountDeletion.objects.update_or_create(
        user=user, defaults={"requested_at": timezone.now(), "scheduled_for": when}
    )
    security_event_record(
        user=user, kind=SecurityEvent.Kind.DELETION_REQUESTED, request=request, scheduled_for=when.isoformat()
    )
    return deletion


def account_deletion_cancel(*, user: User, request: HttpRequest | None = None) -> bool:
    deleted, _ = AccountDeletion.objects.filter(user=user).delete()
    if deleted:
        security_event_record(user=user, kind=SecurityEvent.Kind.DELETION_CANCELLED, request=request)
    return bool(deleted)
