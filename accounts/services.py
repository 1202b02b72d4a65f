"""Writes for accounts: security events, sessions, two-factor, preferences, data export and deletion."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import SecurityEvent, User

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
        transaction.on_commit(lambda alert=alert: _alert_admins(alert))
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
