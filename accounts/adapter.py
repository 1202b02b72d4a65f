"""allauth adapters: the two-factor login stage and social sign-up that fills in names."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

OTP_STAGE_KEY = "accounts_otp"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        return [*super().get_login_stages(), "accounts.adapter.TwoFactorStage"]


class TwoFactorStage(LoginStage):
    """Password (or social) sign-in is not enough when 2FA is on: the session is only created after a code."""

    key = OTP_STAGE_KEY
    urlname = "accounts:two_factor_verify"

    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if user is None or not getattr(user, "two_factor_enabled", False):
            return None, True
        return headed_redirect_response(self.urlname), True


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.first_name = (data.get("first_name") or user.first_name or "")[:150]
        user.last_name = (data.get("last_name") or user.last_name or "")[:150]
        return user


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The email axes locks on: allauth authenticates with `email=`, the form posts `login`, the API `email`."""
    sources: list[Any] = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "data", None) or getattr(request, "POST", {}))
    for source in sources:
        for field in ("email", "login", "username"):
            value = source.get(field) if hasattr(source, "get") else None
            if value:
                return str(value).strip().lower()
    return None
