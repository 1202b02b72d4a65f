"""Stripe webhook events applied to the team's billing.Subscription.

Stripe delivers at least once and in no particular order, so:
- every event id is recorded in the same transaction that applies it: a redelivery is a no-op;
- the subscription row is locked while an event is applied;
- an event older (by its own `created`) than the newest one applied is ignored, per stream:
  subscription objects and payments (invoice.paid / invoice.payment_failed) each have their own;
- a cancelled Stripe subscription never comes back to life, and a period never moves backwards.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.dunning import subscription_mark_paid, subscription_mark_past_due
from billing.models import StripeEvent, Subscription, SubscriptionStatus, SubscriptionTier
from billing.plans import price_key_from_lookup_key
from billing.services import is_downgrade, quota_apply_plan, quota_reset, subscription_ensure
from billing.stripe_api import stripe_secret_key, webhook_secret
from teams.models import Team

logger = logging.getLogger("billing.webhooks")

_STATUS = {
    "active": SubscriptionStatus.ACTIVE,
    "trialing": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.UNPAID,
    "canceled": SubscriptionStatus.CANCELLED,
    "incomplete_expired": SubscriptionStatus.CANCELLED,
}
HANDLED = (
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
)


class InvalidWebhook(Exception):
    pass


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _id(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def webhook_event_parse(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """Verify the Stripe-Signature header (HMAC of `t.payload`, 5 minutes' tolerance) and parse the event."""
    try:
        stripe.WebhookSignature.verify_header(payload, signature, webhook_secret(), tolerance=300)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not isinstance(event, dict) or event.get("object") != "event" or not event.get("id"):
        raise InvalidWebhook("Not a Stripe event.")
    return event


def stripe_event_process(*, event: dict[str, Any]) -> bool:
    """Apply one verified event exactly once. Returns False for a redelivery or an event we ignore."""
    if event.get("type") not in HANDLED:
        return False
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event["id"],
                type=event["type"],
                stripe_created=_ts(event.get("created")) or timezone.now(),
                livemode=bool(event.get("livemode")),
            )
            _dispatch(event)
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event["id"]).exists():
            return False
        raise
    return True


def _dispatch(event: dict[str, Any]) -> None:
    obj = event["data"]["object"]
    created = _ts(event.get("created"))
    kind = event["type"]
    if kind == "checkout.session.completed":
        _checkout_completed(obj)
    elif kind.startswith("customer.subscription."):
        subscription_apply_stripe(data=obj, event_created=created)
    elif kind in ("invoice.paid", "invoice.payment_failed"):
        _invoice_event(obj, paid=kind == "invoice.paid", event_created=created)


def _team_for(*, metadata: dict[str, Any] | None, customer_id: str, subscription_id: str = "") -> Team | None:
    team_id = (metadata or {}).get("team_id")
    if team_id:
        team = Team.objects.filter(pk=team_id).first()
        if team is not None:
            return team
    lookups = []
    if subscription_id:
        lookups.append({"stripe_subscription_id": subscription_id})
    if customer_id:
        lookups.append({"stripe_customer_id": customer_id})
    for lookup in lookups:
        row = Subscription.objects.filter(**lookup).select_related("team").first()
        if row is not None:
            return row.team
    return None


def _checkout_completed(session: dict[str, Any]) -> None:
    """Remember the customer; the subscription itself arrives with customer.subscription.* events."""
    team = _team_for(
        metadata={"team_id": session.get("client_reference_id") or (session.get("metadata") or {}).get("team_id")},
        customer_id=_id(session.get("customer")),
    )
    if team is None:
        logger.warning("checkout.session.completed for an unknown team", extra={"session": session.get("id")})
        return
    subscription = subscription_ensure(team=team)
    customer_id = _id(session.get("customer"))
    if customer_id and subscription.stripe_customer_id != customer_id:
        Subscription.objects.filter(pk=subscription.pk).update(stripe_customer_id=customer_id)


def _first_item(data: dict[str, Any]) -> dict[str, Any]:
    items = (data.get("items") or {}).get("data") or []
    return items[0] if items else {}


def subscription_apply_stripe(*, data: dict[str, Any], event_created: datetime | None = None) -> Subscription | None:
    """Bring the team's Subscription in line with a Stripe subscription object (webhook or API answer)."""
    stripe_id = data["id"]
    customer_id = _id(data.get("customer"))
    team = _team_for(metadata=data.get("metadata"), customer_id=customer_id, subscription_id=stripe_id)
    if team is None:
        logger.warning("Stripe subscription for an unknown team", extra={"subscription": stripe_id})
        return None
    subscription_ensure(team=team)
    with transaction.atomic():
        row = Subscription.objects.select_for_update().get(team=team)
        item = _first_item(data)
        period_start = _ts(item.get("current_period_start") or data.get("current_period_start"))
        period_end = _ts(item.get("current_period_end") or data.get("current_period_end"))
        status = _STATUS.get(str(data.get("status")))
        same = row.stripe_subscription_id == stripe_id
        if same and row.status == SubscriptionStatus.CANCELLED and status != SubscriptionStatus.CANCELLED:
            return row  # a cancelled Stripe subscription is final
        if same and period_start and period_start < row.current_period_start:
            return row  # a snapshot from a period already over
        if not same and row.stripe_subscription_id and status in (SubscriptionStatus.CANCELLED, None):
            return row  # the end of an older subscription must not touch the current one
        if status is None:
            return row  # incomplete: the first payment has not gone through yet

        price = item.get("price") or {}
        key = price_key_from_lookup_key(price.get("lookup_key"))
        snapshot_tier = key.tier if key else str((price.get("metadata") or {}).get("tier") or row.tier)
        new_period = bool(period_start and (not same or period_start > row.current_period_start))
        stale = bool(same and row.last_event_at and event_created and event_created < row.last_event_at)
        if stale and not new_period and status != SubscriptionStatus.CANCELLED:
            # An older snapshot of this period arriving late: it can only tell us of an upgrade that was
            # in force (upgrades hold until the period ends); flags and status come from newer snapshots.
            if is_downgrade(current=snapshot_tier, new=row.tier):
                latest = price_key_from_lookup_key(row.stripe_price_lookup_key)
                latest_tier = latest.tier if latest else row.tier
                pending = latest_tier if is_downgrade(current=snapshot_tier, new=latest_tier) else ""
                Subscription.objects.filter(pk=row.pk).update(tier=snapshot_tier, pending_tier=pending)
                quota_apply_plan(team=team)
                row.refresh_from_db()
            return row

        updates: dict[str, Any] = {
            "stripe_subscription_id": stripe_id,
            "cancel_at_period_end": bool(data.get("cancel_at_period_end")),
            "updated_at": timezone.now(),
        }
        if customer_id:
            updates["stripe_customer_id"] = customer_id
        if key:
            updates["stripe_price_lookup_key"] = key.lookup_key
        if period_start and period_end:
            updates["current_period_start"], updates["current_period_end"] = period_start, period_end
        if status == SubscriptionStatus.CANCELLED:
            updates.update(tier=SubscriptionTier.FREE, pending_tier="", cancel_at_period_end=False, grace_until=None)
        elif same and row.status != SubscriptionStatus.CANCELLED and not new_period:
            # Within a period the tier in force is the highest seen; a lower price waits for the period's end.
            in_force = row.tier if is_downgrade(current=row.tier, new=snapshot_tier) else snapshot_tier
            updates.update(tier=in_force, pending_tier=snapshot_tier if snapshot_tier != in_force else "")
        else:
            updates.update(tier=snapshot_tier, pending_tier="")
        # Payment events decide dunning; a subscription snapshot older than the last payment event is no authority.
        payments_newer = bool(row.last_payment_event_at and event_created and event_created < row.last_payment_event_at)
        dunning: Callable[..., bool] | None = None
        if status == SubscriptionStatus.CANCELLED:
            updates["status"] = status
        elif not payments_newer:
            if status == SubscriptionStatus.PAST_DUE:
                dunning = subscription_mark_past_due
            elif status == SubscriptionStatus.ACTIVE and row.status in (
                SubscriptionStatus.PAST_DUE,
                SubscriptionStatus.UNPAID,
            ):
                dunning = subscription_mark_paid
            else:
                updates["status"] = status
        if event_created:
            updates["last_event_at"] = max(filter(None, [row.last_event_at, event_created]))
        Subscription.objects.filter(pk=row.pk).update(**updates)
        row.refresh_from_db()
        if dunning is not None:
            dunning(subscription=row)
        if new_period and period_end and status != SubscriptionStatus.CANCELLED:
            quota_reset(team=team, next_reset=period_end, only_if_due=False)
        quota_apply_plan(team=team)
        row.refresh_from_db()
        return row


def _invoice_subscription_id(invoice: dict[str, Any]) -> str:
    legacy = _id(invoice.get("subscription"))
    if legacy:
        return legacy
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return _id(details.get("subscription"))


def _invoice_event(invoice: dict[str, Any], *, paid: bool, event_created: datetime | None) -> None:
    subscription_id = _invoice_subscription_id(invoice)
    customer_id = _id(invoice.get("customer"))
    metadata = ((invoice.get("parent") or {}).get("subscription_details") or {}).get("metadata")
    team = _team_for(metadata=metadata, customer_id=customer_id, subscription_id=subscription_id)
    if team is None:
        logger.warning("Stripe invoice for an unknown team", extra={"invoice": invoice.get("id")})
        return
    _invoice_sync_to_djstripe(invoice)
    subscription_ensure(team=team)
    with transaction.atomic():
        row = Subscription.objects.select_for_update().select_related("team", "team__owner").get(team=team)
        if row.last_payment_event_at and event_created and event_created < row.last_payment_event_at:
            return
        if event_created:
            Subscription.objects.filter(pk=row.pk).update(last_payment_event_at=event_created)
        if paid:
            subscription_mark_paid(subscription=row)
        elif invoice.get("billing_reason") != "subscription_create":
            # A first payment that fails leaves the subscription incomplete: nothing was granted yet.
            subscription_mark_past_due(subscription=row, at=event_created)


def _invoice_sync_to_djstripe(invoice: dict[str, Any]) -> None:
    """Keep dj-stripe's invoice table (PDF links, totals, tax) current. Failure here never blocks billing state."""
    from djstripe.models import Invoice

    try:
        with transaction.atomic():
            Invoice.sync_from_stripe_data(stripe.Invoice.construct_from(invoice, stripe_secret_key()))
    except Exception:
        logger.exception("Could not sync invoice %s into dj-stripe", invoice.get("id"))
