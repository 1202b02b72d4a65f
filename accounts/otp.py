"""Two-factor: TOTP enrolment helpers and hashed one-time recovery codes (django-otp devices)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import RecoveryCode, RecoveryCodeDevice

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o/1/l/i: codes are typed from paper


def recovery_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_hash(code: str, *, salt: str | None = None) -> str:
    """sha256 with a per-code salt: codes carry ~50 random bits, so a slow KDF adds nothing but latency."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${recovery_code_normalise(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def recovery_code_matches(code: str, code_hash: str) -> bool:
    try:
        _algo, salt, _digest = code_hash.split("$", 2)
    except ValueError:
        return False
    return constant_time_compare(recovery_code_hash(code, salt=salt), code_hash)


def recovery_code_generate() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def recovery_code_consume(*, device: RecoveryCodeDevice, code: str) -> bool:
    """Mark a matching unused code used; a code works exactly once, even under concurrent requests."""
    if not recovery_code_normalise(code):
        return False
    with transaction.atomic():
        for row in RecoveryCode.objects.select_for_update().filter(device=device, used_at__isnull=True):
            if recovery_code_matches(code, row.code_hash):
                # The conditional update is the guard: a second request racing on the same row updates 0 rows.
                return bool(RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()))
    return False
