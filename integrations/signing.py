"""The webhook signature: `ContentGenAI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`.

The HMAC is taken with the endpoint's secret over `"<t>.<raw body>"`, as Stripe does, so a receiver
checks both that we sent the body and when (a captured request replayed later fails the age check).
docs/webhooks.md shows a receiver's side; `signature_verify` is the same check, used by our tests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "ContentGenAI-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105  (a prefix, not a secret)
DEFAULT_TOLERANCE_SECONDS = 300


def secret_generate() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature_compute(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature_compute(secret=secret, timestamp=timestamp, body=body)}"


def signature_verify(
    *, secret: str, header: str, body: bytes, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """True when one `v1` of the header matches and its timestamp is within `tolerance` of `now`."""
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value for key, value in parts if key.strip() == "t"]
    signatures = [value for key, value in parts if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        return False
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature_compute(secret=secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, candidate.strip()) for candidate in signatures)
