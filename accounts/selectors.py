"""Reads for accounts. Every read of a per-user row takes the acting user, so another user's row is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import AccountDeletion, DataExport, SecurityEvent, User, UserSession


def user_has_verified_email(user: Any) -> bool:
    """Publishing, billing and inviting need a verified address; signing in does not."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.email_verified:
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_sessions_list(*, user: User) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user).order_by("-last_seen_at")


def user_session_get(*, user: User, session_id: Any) -> UserSession:
    try:
        return UserSession.objects.select_related("user").get(pk=session_id, user=user)
    except (UserSession.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such session.") from exc


def security_events_recent(*, user: User, limit: int = 20) -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(user=user).order_by("-created_at")[:limit]


def data_export_latest(*, user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-created_at").first()


def data_export_get(*, user: User, export_id: Any) -> DataExport:
    try:
        return DataExport.objects.get(pk=export_id, user=user)
    except (DataExport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such export.") from exc


def account_deletion_pending(*, user: User) -> AccountDeletion | None:
    return AccountDeletion.objects.filter(user=user).first()
