"""The one way our code reaches Stripe: a configured `stripe.StripeClient` on an httpx transport.

Every Stripe call (ours and dj-stripe's module-level ones) goes through httpx, so tests can put a
fake Stripe behind it at the HTTP layer.
"""

from __future__ import annotations

from functools import cache

import stripe
from django.conf import settings
from djstripe.settings import djstripe_settings

from core.api.errors import ApiError

NOT_CONFIGURED_MESSAGE = (
    "Payments are not configured: set STRIPE_TEST_SECRET_KEY (or STRIPE_LIVE_SECRET_KEY with "
    "STRIPE_LIVE_MODE=true) and DJSTRIPE_WEBHOOK_SECRET. See docs/billing.md."
)


class StripeNotConfigured(ApiError):
    status_code = 503
    code = "SERVICE_UNAVAILABLE"
    default_detail = "Payments are not configured on this server."


def stripe_secret_key() -> str:
    return djstripe_settings.STRIPE_SECRET_KEY or ""


def stripe_configured() -> bool:
    return bool(stripe_secret_key()) and not settings.SELF_HOSTED


def webhook_secret() -> str:
    return str(getattr(settings, "DJSTRIPE_WEBHOOK_SECRET", "") or "")


@cache
def http_client() -> stripe.HTTPClient:
    return stripe.HTTPXClient(allow_sync_methods=True)


def install_http_client() -> None:
    """Point the stripe module (used by dj-stripe's sync) at the same httpx transport."""
    stripe.default_http_client = http_client()


def stripe_client() -> stripe.StripeClient:
    key = stripe_secret_key()
    if not key or settings.SELF_HOSTED:
        raise StripeNotConfigured(NOT_CONFIGURED_MESSAGE)
    return stripe.StripeClient(
        key,
        http_client=http_client(),
        stripe_version=djstripe_settings.STRIPE_API_VERSION,
        max_network_retries=2,
    )
