"""API permissions about who the caller is: API key scopes and platform roles.

Team roles live in `teams.permissions` (ROLE_CAPABILITIES); plan features in `billing.entitlements`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.api_keys import api_key_allows
from accounts.models import ApiKey, User
from accounts.selectors import user_has_verified_email
from core.api.errors import PermissionDeniedError

PLATFORM_ROLE_RANK: dict[str, int] = {
    User.PlatformRole.USER: 0,
    User.PlatformRole.MODERATOR: 1,
    User.PlatformRole.ADMIN: 2,
}


def has_platform_role(user: Any, role: str) -> bool:
    """True when the user's platform role is `role` or above (admin > moderator > user).

    The one platform-role check: pages, APIs and services (moderation's queue, alerts) all ask here.
    A Django superuser counts as a platform admin whatever the column says.
    """
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PLATFORM_ROLE_RANK.get(user.platform_role, 0) >= PLATFORM_ROLE_RANK[role]


def verified_email_required() -> bool:
    """With verification switched off (`ACCOUNT_EMAIL_VERIFICATION=none`) nobody could ever verify."""
    return settings.ACCOUNT_EMAIL_VERIFICATION != "none"


def verified_email_require(user: Any) -> None:
    """A user may sign in and write drafts before verifying; publishing, scheduling, billing and
    inviting need a verified address (they reach people outside the workspace, or move money)."""
    if verified_email_required() and not user_has_verified_email(user):
        raise PermissionDeniedError(
            _(
                "Verify your email address first: publishing, scheduling, billing and invitations need it. "
                "Use the link we emailed you, or send a new one from Settings."
            ),
            details={"reason": "EMAIL_NOT_VERIFIED"},
        )


class ApiKeyScopePermission(BasePermission):
    """A key with only the read scope may use safe methods; writing needs the write scope."""

    message = "This API key is read-only: it needs the write scope for this request."

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiKey):
            return api_key_allows(request.auth, request.method or "GET")
        return True


class IsPlatformModerator(BasePermission):
    """Platform moderators and admins (content review across teams)."""

    message = "Only platform moderators can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_platform_role(request.user, User.PlatformRole.MODERATOR)


class IsPlatformAdmin(BasePermission):
    message = "Only platform administrators can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_platform_role(request.user, User.PlatformRole.ADMIN)
