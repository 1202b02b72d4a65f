"""JWT access and refresh tokens for the API: issue, rotate, revoke.

Every refresh token carries a family id (`fam`): the tokens a login produces by rotation form one
family. Presenting a refresh token that was already rotated means it was copied, so the whole
family is revoked and both the thief and the victim must log in again (OAuth 2.0 Security BCP,
refresh token rotation).

Revocation lives in the database (`RevokedTokenFamily`); the cache only spares a query per request.
Refresh tokens are never stored: their outstanding row keeps a SHA-256 of the token and the family
id, so a leaked database backup cannot be turned into an API session.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import RevokedTokenFamily, User
from accounts.services import security_event_record
from core.api.errors import ApiError

FAMILY_CLAIM = "fam"


def _revoked_family_key(family: str) -> str:
    return f"jwt:revoked-family:{family}"


def _cache_seconds() -> int:
    # A minute past the access lifetime so clock leeway cannot let a token outlive the entry.
    return int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds()) + 60


def token_family_is_revoked(family: str) -> bool:
    """Whether the login was ended. The database answers; the cache (1 revoked, 0 not) spares the query."""
    if not family:
        return False
    key = _revoked_family_key(family)
    cached = cache.get(key)
    if cached is not None:
        return bool(cached)
    revoked = RevokedTokenFamily.objects.filter(family=family).exists()
    # add, not set: a revocation written meanwhile (set to 1) must not be overwritten by this 0.
    cache.add(key, int(revoked), timeout=60 if not revoked else _cache_seconds())
    return revoked


def stored_token_text(*, raw: str, family: str) -> str:
    """What the outstanding-token row keeps instead of the token: its family and a hash."""
    return f"fam:{family} sha256:{hashlib.sha256(raw.encode()).hexdigest()}"


def _family_prefix(family: str) -> str:
    return f"fam:{family} "


class InvalidRefreshToken(ApiError):
    status_code = 401
    code = "INVALID_AUTHENTICATION"
    default_detail = "The refresh token is invalid, expired or revoked. Log in again."


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    family: str

    def as_payload(self) -> dict[str, Any]:
        """The API's `tokens` object (camelCased by the renderer)."""
        return {
            "access_token": self.access,
            "refresh_token": self.refresh,
            "token_type": "Bearer",
            "expires_in": int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
            "refresh_expires_in": int(api_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        }


def _refresh_for(*, user: User, family: str) -> RefreshToken:
    # Built by hand rather than RefreshToken.for_user(), which stores the outstanding row before
    # the family claim is set; the stored token text is how a family's members are found again.
    token = RefreshToken()
    token[api_settings.USER_ID_CLAIM] = str(user.pk)
    token[FAMILY_CLAIM] = family
    # Not token.outstand(): that stores the token itself, which would let a backup replay it.
    OutstandingToken.objects.create(
        user=user,
        jti=token[api_settings.JTI_CLAIM],
        token=stored_token_text(raw=str(token), family=family),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )
    return token


def _pair(refresh: RefreshToken) -> TokenPair:
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh), family=str(refresh[FAMILY_CLAIM]))


def tokens_issue(*, user: User) -> TokenPair:
    """A new token family for a fresh login."""
    return _pair(_refresh_for(user=user, family=uuid.uuid4().hex))


def _decode(raw: str) -> dict[str, Any]:
    try:
        payload = token_backend.decode(raw, verify=True)  # type: ignore[arg-type]  # the stubs say Token; it takes the text
    except TokenBackendError as exc:
        raise InvalidRefreshToken() from exc
    if payload.get(api_settings.TOKEN_TYPE_CLAIM) != "refresh" or not payload.get(api_settings.JTI_CLAIM):
        raise InvalidRefreshToken()
    return payload


def token_family_revoke(*, user_id: Any, family: str) -> int:
    """Blacklist every still-valid refresh token of the family and refuse its access tokens from now on.

    Returns how many refresh tokens were revoked.
    """
    now = timezone.now()
    RevokedTokenFamily.objects.get_or_create(
        family=family,
        defaults={"user_id": user_id, "revoked_at": now, "expires_at": now + _family_lifetime()},
    )
    cache.set(_revoked_family_key(family), 1, timeout=_cache_seconds())
    revoked = 0
    outstanding = OutstandingToken.objects.filter(
        user_id=user_id,
        expires_at__gt=now,
        blacklistedtoken__isnull=True,
        token__startswith=_family_prefix(family),
    ).only("id")
    for row in outstanding:
        _blacklisted, created = BlacklistedToken.objects.get_or_create(token=row)
        revoked += int(created)
    return revoked


def _family_lifetime() -> timedelta:
    """The longest any token of a family revoked now could still be presented."""
    return max(api_settings.REFRESH_TOKEN_LIFETIME, api_settings.ACCESS_TOKEN_LIFETIME) + timedelta(minutes=1)


def tokens_rotate(*, raw_refresh: str, request: Any = None) -> TokenPair:
    """Exchange a refresh token for a new pair; the old one stops working.

    A token that was already rotated (or revoked) is a replay: its family is revoked.
    """
    payload = _decode(raw_refresh)
    family = str(payload.get(FAMILY_CLAIM) or "")
    replayed_by: Any = None
    with transaction.atomic():
        # The row lock makes two concurrent refreshes with one token rotate it once.
        outstanding = (
            OutstandingToken.objects.select_for_update(of=("self",)).filter(jti=payload[api_settings.JTI_CLAIM]).first()
        )
        if outstanding is None or not family:
            raise InvalidRefreshToken()
        if BlacklistedToken.objects.filter(token=outstanding).exists() or token_family_is_revoked(family):
            replayed_by = outstanding.user_id
        else:
            user = User.objects.filter(pk=str(payload.get(api_settings.USER_ID_CLAIM)), is_active=True).first()
            if user is None:
                raise InvalidRefreshToken()
            BlacklistedToken.objects.create(token=outstanding)
            return _pair(_refresh_for(user=user, family=family))

    # Outside the rolled-back block: the revocation must stick although the request fails.
    revoked = token_family_revoke(user_id=replayed_by, family=family)
    user = User.objects.filter(pk=replayed_by).first()
    if user is not None:
        security_event_record(
            user=user, kind="token_family_revoked", request=request, reason="refresh_token_reuse", revoked=revoked
        )
    raise InvalidRefreshToken("This refresh token was already used. For your safety every session of it was ended.")


def tokens_revoke(*, user: User, raw_refresh: str | None = None, family: str | None = None) -> int:
    """Logout: end the refresh token's family (the API session). Access tokens expire on their own."""
    if raw_refresh:
        payload = _decode(raw_refresh)
        if str(payload.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
            raise InvalidRefreshToken("This refresh token does not belong to you.")
        family = str(payload.get(FAMILY_CLAIM) or "")
        if not family:
            raise InvalidRefreshToken()
    if not family:
        return 0
    return token_family_revoke(user_id=user.pk, family=family)
