from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class SubscriptionTier(models.TextChoices):
    FREE = "FREE", _("Free")
    PRO = "PRO", _("Pro")
    ENTERPRISE = "ENTERPRISE", _("Enterprise")


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("Active")
    CANCELLED = "CANCELLED", _("Cancelled")
    PAST_DUE = "PAST_DUE", _("Past due")
    UNPAID = "UNPAID", _("Unpaid")


class Subscription(TimeStampedModel):
    """The spec's Subscription, held by a team (the billing unit) rather than a single user."""

    team = models.OneToOneField("teams.Team", on_delete=models.CASCADE, related_name="subscription")
    # Null for teams that never paid (FREE); unique when set.
    stripe_subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    tier = models.CharField(max_length=20, choices=SubscriptionTier.choices, default=SubscriptionTier.FREE)
    status = models.CharField(max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE)
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    cancel_at_period_end = models.BooleanField(default=False)
    features = models.JSONField(default=dict, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    stripe_price_lookup_key = models.CharField(max_length=100, blank=True, default="")
    # A downgrade waits here until the current period ends; upgrades apply at once.
    pending_tier = models.CharField(max_length=20, choices=SubscriptionTier.choices, blank=True, default="")
    # Dunning: while PAST_DUE, the end of the grace period; after it the team is UNPAID on FREE limits.
    grace_until = models.DateTimeField(null=True, blank=True)
    # Comped by staff: this tier applies until the date, whatever Stripe says.
    comp_tier = models.CharField(max_length=20, choices=SubscriptionTier.choices, blank=True, default="")
    comped_until = models.DateTimeField(null=True, blank=True)
    # The `created` time of the newest Stripe event applied: older events arriving late are ignored.
    last_event_at = models.DateTimeField(null=True, blank=True)
    # Same for payment events (invoice.paid / invoice.payment_failed), which decide the dunning state.
    last_payment_event_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tier", "status"]), models.Index(fields=["status", "grace_until"])]

    def __str__(self) -> str:
        return f"{self.team} · {self.tier} ({self.status})"


class UsageQuota(TimeStampedModel):
    """The spec's UsageQuota per team and period. A null maximum means unlimited.

    Counters only move through billing.services (quota_consume / quota_release), which update
    them with conditional UPDATEs so concurrent requests never overshoot or go negative.
    """

    team = models.OneToOneField("teams.Team", on_delete=models.CASCADE, related_name="usage_quota")
    content_generations = models.PositiveIntegerField(default=0)
    max_content_generations = models.PositiveIntegerField(null=True, blank=True, default=10)
    api_calls = models.PositiveIntegerField(default=0)
    max_api_calls = models.PositiveIntegerField(null=True, blank=True, default=100)
    reset_date = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(content_generations__gte=0), name="quota_generations_not_negative"),
            models.CheckConstraint(condition=Q(api_calls__gte=0), name="quota_api_calls_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Quota of {self.team}"


class StripeEvent(TimeStampedModel):
    """A Stripe webhook event we have applied: the event id makes redelivery a no-op."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    stripe_created = models.DateTimeField()
    livemode = models.BooleanField(default=False)

    class Meta:
        ordering = ["-stripe_created"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
