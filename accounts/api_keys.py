"""Personal API keys: create (shown once), list, revoke, and resolve a presented key.

A key reads `cg_live_1a2b3c4d_<secret>`. The prefix is stored in clear so the dashboard can show
which key is which; the secret is stored as a SHA-256 digest. Keys carry 256 random bits, so a
fast hash is enough: nobody can brute-force the preimage, and lookups stay cheap.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import ApiKey, SecurityEvent, User
from accounts.plan_hooks import plan_feature_require
from accounts.services import security_event_record
from core.api.errors import NotFoundError, PlanFeatureRequired, ValidationFailed

KEY_NAMESPACE = "cg_live_"
_PREFIX_LENGTH = len(KEY_NAMESPACE) + 8
_LAST_USED_RESOLUTION = timedelta(minutes=1)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(raw: str) -> tuple[str, str] | None:
    raw = raw.strip()
    if not raw.startswith(KEY_NAMESPACE) or len(raw) <= _PREFIX_LENGTH + 1 or raw[_PREFIX_LENGTH] != "_":
        return None
    return raw[:_PREFIX_LENGTH], raw[_PREFIX_LENGTH + 1 :]


def api_access_require(*, user: User) -> None:
    """402 PLAN_FEATURE_REQUIRED unless the plan of the user's current team includes API access."""
    if user.current_team_id is None:
        raise PlanFeatureRequired("API keys need a workspace whose plan includes API access.")
    plan_feature_require(team=user.current_team, feature="api_access")


def api_key_scopes_clean(scopes: list[str]) -> list[str]:
    allowed = {choice.value for choice in ApiKey.Scope}
    unknown = sorted(set(scopes) - allowed)
    if unknown or not scopes:
        raise ValidationFailed(
            "Choose the scopes read and/or write.",
            details={"scopes": [f"Unknown scope: {s}" for s in unknown] or ["Choose at least one scope."]},
        )
    return [s for s in ("read", "write") if s in scopes]


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    """The user's keys, newest first, revoked ones included (they show as revoked)."""
    return ApiKey.objects.filter(user=user).order_by("-created_at")


def api_key_create(
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns it with the plaintext, which is never available again."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Give the key a name.", details={"name": ["This field may not be blank."]})
    scopes = api_key_scopes_clean(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed("The expiry must be in the future.", details={"expires_at": ["Must be in the future."]})
    api_access_require(user=user)
    active = ApiKey.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= settings.API_KEYS_MAX_PER_USER:
        raise ValidationFailed(
            f"You can have at most {settings.API_KEYS_MAX_PER_USER} active keys. Revoke one first.",
            details={"name": ["Too many active keys."]},
        )
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):
        prefix = KEY_NAMESPACE + secrets.token_hex(4)
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    user=user,
                    name=name[:100],
                    prefix=prefix,
                    secret_hash=_digest(secret),
                    scopes=scopes,
                    expires_at=expires_at,
                )
                break
        except IntegrityError:
            # A prefix collision (32 random bits): draw another.
            continue
    else:
        raise RuntimeError("Could not allocate a unique API key prefix.")
    security_event_record(
        user=user, kind=SecurityEvent.Kind.API_KEY_CREATED, request=request, key=prefix, name=key.name, scopes=scopes
    )
    return key, f"{prefix}_{secret}"


def api_key_revoke(*, user: User, key_id: str, request: HttpRequest | None = None) -> ApiKey:
    """Revoke one of the user's keys. Another user's key, or no such key, is a 404."""
    try:
        key = ApiKey.objects.get(pk=key_id, user=user)
    except (ApiKey.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError("No such API key.") from exc
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
        security_event_record(
            user=user, kind=SecurityEvent.Kind.API_KEY_REVOKED, request=request, key=key.prefix, name=key.name
        )
    return key


def api_key_resolve(*, raw: str) -> ApiKey | None:
    """The usable key a client presented (with its user loaded), or None. Marks it used."""
    parts = _split(raw)
    if parts is None:
        return None
    prefix, secret = parts
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not constant_time_compare(_digest(secret), key.secret_hash):
        return None
    now = timezone.now()
    if not key.is_usable(now=now) or not key.user.is_active:
        return None
    # At most one write a minute per key: a busy integration must not turn every read into a write.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_RESOLUTION)
    if ApiKey.objects.filter(pk=key.pk).filter(stale).update(last_used_at=now):
        key.last_used_at = now
    return key


def api_key_allows(key: ApiKey, method: str) -> bool:
    """read: safe methods only; write: everything (a write key can also read)."""
    if "write" in key.scopes:
        return True
    return "read" in key.scopes and method.upper() in SAFE_METHODS
