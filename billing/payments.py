"""Writes that go through Stripe: customers, Checkout, the Customer Portal, plan changes, refunds, the catalogue."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction

from billing.models import Subscription, SubscriptionStatus
from billing.plans import (
    PAID_TIERS,
    PLAN_NAMES,
    PriceKey,
    is_valid_price_key,
    price_keys,
    product_lookup_id,
)
from billing.services import is_downgrade, subscription_ensure
from billing.stripe_api import stripe_client
from billing.stripe_events import subscription_apply_stripe
from core.api.errors import ConflictError, ValidationFailed
from teams.models import Team

logger = logging.getLogger("billing.payments")


def _plain(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def customer_ensure(*, team: Team) -> str:
    """The team's Stripe customer id, created once (with the team in its metadata) when missing."""
    subscription = subscription_ensure(team=team)
    if subscription.stripe_customer_id:
        return subscription.stripe_customer_id
    customer = stripe_client().v1.customers.create(
        params={
            "name": team.name,
            "email": team.owner.email,
            "metadata": {"team_id": str(team.pk)},
        },
        options={"idempotency_key": f"customer-for-team-{team.pk}"},
    )
    Subscription.objects.filter(pk=subscription.pk, stripe_customer_id="").update(stripe_customer_id=customer.id)
    subscription.refresh_from_db()
    return subscription.stripe_customer_id


def price_id_for(key: PriceKey) -> str:
    prices = stripe_client().v1.prices.list(params={"lookup_keys": [key.lookup_key], "active": True, "limit": 1})
    if not prices.data:
        raise ValidationFailed(
            "This plan has no Stripe price yet: run `manage.py sync_stripe_plans`.",
            details={"plan": [f"No active Stripe price with lookup key {key.lookup_key}."]},
        )
    return str(prices.data[0].id)


def _validated_key(tier: str, interval: str, currency: str) -> PriceKey:
    key = PriceKey(tier, interval, currency.lower())
    if not is_valid_price_key(key):
        raise ValidationFailed(
            "Choose a paid plan, an interval and a currency we sell in.",
            details={"tier": [f"{tier}/{interval}/{currency} is not for sale."]},
        )
    return key


def _has_live_stripe_subscription(subscription: Subscription) -> bool:
    return bool(subscription.stripe_subscription_id) and subscription.status != SubscriptionStatus.CANCELLED


def checkout_session_create(
    *, team: Team, tier: str, interval: str, currency: str, success_url: str, cancel_url: str
) -> str:
    """A Stripe Checkout URL that starts `tier` for the team (Stripe Tax, tax ids, every payment method on offer)."""
    key = _validated_key(tier, interval, currency)
    subscription = subscription_ensure(team=team)
    if _has_live_stripe_subscription(subscription):
        raise ConflictError(
            "This workspace already has a subscription: change its plan instead.",
            details={"subscription": ["Use the plan change or the customer portal."]},
        )
    customer_id = customer_ensure(team=team)
    metadata = {"team_id": str(team.pk), "tier": key.tier}
    # No payment_method_types: Checkout then offers what the Dashboard enables for the customer's country.
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(team.pk),
            "line_items": [{"price": price_id_for(key), "quantity": 1}],
            "automatic_tax": {"enabled": settings.BILLING_AUTOMATIC_TAX},
            "tax_id_collection": {"enabled": True},
            "billing_address_collection": "required",
            "customer_update": {"address": "auto", "name": "auto"},
            "allow_promotion_codes": True,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }
    )
    return str(session.url)


def portal_session_create(*, team: Team, return_url: str) -> str:
    """A Customer Portal URL: cards, invoices, cancellation."""
    subscription = subscription_ensure(team=team)
    if not subscription.stripe_customer_id:
        raise ConflictError(
            "This workspace has no billing account yet: choose a plan first.",
            details={"subscription": ["No Stripe customer for this workspace."]},
        )
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": subscription.stripe_customer_id, "return_url": return_url}
    )
    return str(session.url)


def subscription_change_plan(*, team: Team, tier: str, interval: str, currency: str) -> Subscription:
    """Move a paying team to another paid plan. Upgrades apply at once with Stripe's proration;
    downgrades are billed from the next period and keep today's features until then."""
    key = _validated_key(tier, interval, currency)
    subscription = subscription_ensure(team=team)
    if not _has_live_stripe_subscription(subscription):
        raise ConflictError("This workspace has no paid subscription: start one with checkout.")
    client = stripe_client()
    current = client.v1.subscriptions.retrieve(str(subscription.stripe_subscription_id))
    item_id = current["items"].data[0].id
    downgrade = is_downgrade(current=subscription.tier, new=key.tier)
    updated = client.v1.subscriptions.update(
        str(subscription.stripe_subscription_id),
        params={
            "items": [{"id": item_id, "price": price_id_for(key)}],
            "proration_behavior": "none" if downgrade else "create_prorations",
            "cancel_at_period_end": False,
            "metadata": {"team_id": str(team.pk), "tier": key.tier},
        },
    )
    applied = subscription_apply_stripe(data=_plain(updated))
    return applied or subscription


def subscription_cancel(*, team: Team, at_period_end: bool = True) -> Subscription:
    """Cancel at the end of the paid period (the team keeps its plan until then)."""
    subscription = subscription_ensure(team=team)
    if not _has_live_stripe_subscription(subscription):
        raise ConflictError("This workspace has no paid subscription to cancel.")
    updated = stripe_client().v1.subscriptions.update(
        str(subscription.stripe_subscription_id), params={"cancel_at_period_end": at_period_end}
    )
    return subscription_apply_stripe(data=_plain(updated)) or subscription


def payment_refund(*, team: Team, amount: int | None = None) -> str:
    """Refund the team's latest charge (all of it, or `amount` in the smallest unit). Returns the refund id."""
    subscription = subscription_ensure(team=team)
    if not subscription.stripe_customer_id:
        raise ConflictError("This workspace has never paid.")
    client = stripe_client()
    charges = client.v1.charges.list(params={"customer": subscription.stripe_customer_id, "limit": 1})
    if not charges.data:
        raise ConflictError("This workspace has no charge to refund.")
    params: dict[str, Any] = {"charge": charges.data[0].id, "reason": "requested_by_customer"}
    if amount:
        params["amount"] = amount
    refund = client.v1.refunds.create(params=params)  # type: ignore[arg-type]
    return str(refund.id)


@dataclass
class PlanSyncReport:
    products: list[str] = field(default_factory=list)
    created_prices: list[str] = field(default_factory=list)
    kept_prices: list[str] = field(default_factory=list)


def stripe_plans_sync() -> PlanSyncReport:
    """Create or update our Products and Prices in Stripe (idempotent), then mirror them into dj-stripe."""
    from djstripe.models import Price, Product

    client = stripe_client()
    report = PlanSyncReport()
    for tier in PAID_TIERS:
        product_id = product_lookup_id(tier)
        fields = {"name": f"ContentGenAI {PLAN_NAMES[tier]}", "metadata": {"tier": tier}}
        try:
            product = client.v1.products.update(product_id, params=fields)  # type: ignore[arg-type]
        except stripe.InvalidRequestError as exc:
            if exc.code != "resource_missing":
                raise
            product = client.v1.products.create(params={"id": product_id, **fields})  # type: ignore[arg-type,typeddict-item]
        report.products.append(product_id)
        with transaction.atomic():
            Product.sync_from_stripe_data(product)
    for key in price_keys():
        found = client.v1.prices.list(params={"lookup_keys": [key.lookup_key], "limit": 1}).data
        price = found[0] if found else None
        current = (
            price is not None
            and price.active
            and price.unit_amount == key.amount
            and price.currency == key.currency
            and price.recurring is not None
            and price.recurring.interval == key.interval
        )
        if not current:
            # A price's amount cannot change: a new price takes over the lookup key, the old one retires.
            price = client.v1.prices.create(
                params={
                    "product": product_lookup_id(key.tier),
                    "currency": key.currency,
                    "unit_amount": key.amount,
                    "recurring": {"interval": key.interval},  # type: ignore[typeddict-item]
                    "lookup_key": key.lookup_key,
                    "transfer_lookup_key": True,
                    "tax_behavior": "exclusive",
                    "metadata": {"tier": key.tier},
                }
            )
            report.created_prices.append(key.lookup_key)
        else:
            report.kept_prices.append(key.lookup_key)
        assert price is not None
        with transaction.atomic():
            Price.sync_from_stripe_data(price)
    return report
