"""Billing reads: what a team may do, its usage, the catalogue with prices, its invoices."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from billing.models import Subscription, SubscriptionStatus, SubscriptionTier, UsageQuota
from billing.plans import (
    CURRENCIES,
    INTERVALS,
    PLAN_NAMES,
    PLANS,
    PRICES,
    TIER_RANK,
    UNLIMITED,
    PlanFeatures,
    PriceKey,
    plan_features,
)
from teams.models import Team

FREE_FEATURES = PLANS[SubscriptionTier.FREE]
_COUNTED_LIMITS = ("max_social_accounts", "max_scheduled_posts", "max_team_members")


def effective_tier(subscription: Subscription | None) -> str:
    """The tier whose features apply now: a running comp wins, an unpaid or cancelled team is FREE."""
    if subscription is None:
        return SubscriptionTier.FREE
    if subscription.comp_tier and subscription.comped_until and subscription.comped_until > timezone.now():
        return subscription.comp_tier
    if subscription.status in (SubscriptionStatus.UNPAID, SubscriptionStatus.CANCELLED):
        return SubscriptionTier.FREE
    return subscription.tier


def team_plan_features(*, team: Team) -> PlanFeatures:
    """What the team may do now. Self-hosted instances have every feature, unlimited."""
    if settings.SELF_HOSTED:
        return UNLIMITED
    subscription = Subscription.objects.filter(team=team).only("tier", "status", "comp_tier", "comped_until").first()
    return plan_features(effective_tier(subscription))


def team_new_work_features(*, team: Team) -> PlanFeatures:
    """Limits for creating something new (an account, a scheduled post, a member).

    Dunning rule: while a team is PAST_DUE (in its grace period) what it already has keeps the paid
    plan's features, but anything new counted against a limit is capped at FREE's limits.
    """
    features = team_plan_features(team=team)
    if settings.SELF_HOSTED:
        return features
    past_due = Subscription.objects.filter(team=team, status=SubscriptionStatus.PAST_DUE).exists()
    if not past_due:
        return features
    capped = {}
    for limit in _COUNTED_LIMITS:
        paid, free = getattr(features, limit), getattr(FREE_FEATURES, limit)
        capped[limit] = free if paid is None else min(paid, free)
    return replace(features, **capped)


@dataclass(frozen=True)
class UsageMeter:
    kind: str
    label: str
    used: int
    limit: int | None

    @property
    def percent(self) -> int:
        if not self.limit:
            return 0 if self.limit is None else 100
        return min(100, round(100 * self.used / self.limit))

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.used >= self.limit


def team_usage(*, team: Team) -> tuple[UsageQuota | None, list[UsageMeter]]:
    quota = UsageQuota.objects.filter(team=team).first()
    if quota is None:
        return None, []
    return quota, [
        # The labels are translated where they are shown ({% translate meter.label %}).
        UsageMeter(
            "content_generations",
            gettext_noop("AI generations"),
            quota.content_generations,
            quota.max_content_generations,
        ),
        UsageMeter("api_calls", gettext_noop("API calls"), quota.api_calls, quota.max_api_calls),
    ]


def team_subscription(*, team: Team) -> Subscription | None:
    return Subscription.objects.filter(team=team).first()


def team_plan_summary(team_id: Any) -> dict[str, Any]:
    """The plan fields of the spec's User object for the user's current team (registered with accounts)."""
    subscription = Subscription.objects.filter(team_id=team_id).first() if team_id else None
    quota = UsageQuota.objects.filter(team_id=team_id).first() if team_id else None
    return {
        "subscription_tier": subscription.tier if subscription else "FREE",
        "subscription_status": subscription.status if subscription else "ACTIVE",
        "usage_quota": {
            "content_generations": quota.content_generations if quota else 0,
            "max_content_generations": quota.max_content_generations if quota else None,
            "api_calls": quota.api_calls if quota else 0,
            "max_api_calls": quota.max_api_calls if quota else None,
            "reset_date": quota.reset_date if quota else None,
        },
    }


def plan_catalogue() -> list[dict[str, Any]]:
    """Every plan with its features and its prices per interval and currency (smallest unit)."""
    return [
        {
            "tier": tier,
            "name": PLAN_NAMES[tier],
            "rank": TIER_RANK[tier],
            "features": features.as_dict(),
            "prices": [
                {
                    "interval": interval,
                    "currency": currency,
                    "amount": PRICES[tier][interval][currency],
                    "lookupKey": PriceKey(tier, interval, currency).lookup_key,
                }
                for interval in INTERVALS
                for currency in CURRENCIES
            ]
            if tier in PRICES
            else [],
        }
        for tier, features in PLANS.items()
    ]


def team_invoices(*, team: Team, limit: int = 24) -> list[Any]:
    """The team's Stripe invoices as synced into dj-stripe (newest first)."""
    from djstripe.models import Invoice

    customer_id = Subscription.objects.filter(team=team).values_list("stripe_customer_id", flat=True).first()
    if not customer_id:
        return []
    return list(Invoice.objects.filter(customer__id=customer_id).order_by("-created")[:limit])
