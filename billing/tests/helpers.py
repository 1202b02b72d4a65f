"""Test helpers: a paying team through the real Checkout path, signed webhook delivery."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from billing.payments import checkout_session_create
from billing.tests.fake_stripe import WEBHOOK_SECRET, FakeStripe, sign
from teams.models import Team

WEBHOOK_URL = "/api/billing/webhook/"


def deliver(client: Client, event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    payload = json.dumps(event)
    return client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else sign(payload, secret),
    )


def sync_plans() -> None:
    call_command("sync_stripe_plans", stdout=StringIO())


def start_checkout(fake: FakeStripe, team: Team, *, tier: str = "PRO", interval: str = "month", currency: str = "usd"):
    """Open a Checkout session for the team and have the customer pay; returns Stripe's events."""
    url = checkout_session_create(
        team=team,
        tier=tier,
        interval=interval,
        currency=currency,
        success_url="http://testserver/billing/?checkout=success",
        cancel_url="http://testserver/billing/?checkout=cancelled",
    )
    return fake.complete_checkout(url.rsplit("/", 1)[1])
