"""Dunning: a failed payment opens a grace period; after it the team is UNPAID on FREE limits.

A successful payment at any point restores the paid plan.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.emails import billing_email_send
from billing.models import Subscription, SubscriptionStatus
from billing.services import quota_apply_plan


def subscription_mark_past_due(*, subscription: Subscription, at: datetime | None = None) -> bool:
    """Open the grace period (once per episode) and tell the owner. Returns whether anything changed."""
    if subscription.status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID, SubscriptionStatus.CANCELLED):
        return False
    grace_until = (at or timezone.now()) + timedelta(days=settings.BILLING_GRACE_DAYS)
    Subscription.objects.filter(pk=subscription.pk).update(
        status=SubscriptionStatus.PAST_DUE, grace_until=grace_until, updated_at=timezone.now()
    )
    quota_apply_plan(team=subscription.team)
    billing_email_send(team=subscription.team, template="payment_failed", context={"grace_until": grace_until})
    return True


def subscription_mark_paid(*, subscription: Subscription) -> bool:
    """A payment went through: leave PAST_DUE/UNPAID and give the paid plan back at once."""
    if subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID):
        return False
    Subscription.objects.filter(pk=subscription.pk).update(
        status=SubscriptionStatus.ACTIVE, grace_until=None, updated_at=timezone.now()
    )
    quota_apply_plan(team=subscription.team)
    billing_email_send(team=subscription.team, template="payment_restored")
    return True


def subscription_expire_grace() -> int:
    """Past-due teams whose grace has run out become UNPAID with FREE limits (the beat task)."""
    expired = 0
    due = Subscription.objects.filter(status=SubscriptionStatus.PAST_DUE, grace_until__lte=timezone.now())
    for subscription_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = (
                Subscription.objects.select_for_update()
                .select_related("team", "team__owner")
                .filter(pk=subscription_id, status=SubscriptionStatus.PAST_DUE, grace_until__lte=timezone.now())
                .first()
            )
            if subscription is None:  # paid meanwhile
                continue
            Subscription.objects.filter(pk=subscription.pk).update(
                status=SubscriptionStatus.UNPAID, updated_at=timezone.now()
            )
            quota_apply_plan(team=subscription.team)
            billing_email_send(team=subscription.team, template="downgraded_unpaid")
            expired += 1
    return expired
