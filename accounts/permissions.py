"""API permissions about who the caller is: API key scopes and platform roles.

Team roles live in `teams.permissions` (ROLE_CAPABILITIES); plan features in `billing.entitlements`.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.api_keys import api_key_allows
from accounts.models import ApiKey, User

PLATFORM_ROLE_RANK: dict[str, int] = {
    User.PlatformRole.USER: 0,
    User.PlatformRole.MODERATOR: 1,
    User.PlatformRole.ADMIN: 2,
}


def has_platform_role(user: Any, role: str) -> bool:
    """True when the user's platform role is `role` or above (admin > moderator > user)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return PLATFORM_ROLE_RANK.get(user.platform_role, 0) >= PLATFORM_ROLE_RANK[role]


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
