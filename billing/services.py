"""Billing writes. Quotas are taken and given back here and nowhere else."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from billing.models import Subscription, SubscriptionStatus, SubscriptionTier, UsageQuota
from billing.plans import plan_features
from core.api.errors import QuotaExceeded
from teams.models import Team

QuotaKind = Literal["content_generations", "api_calls"]
QUOTA_KINDS: tuple[str, ...] = ("content_generations", "api_calls")


def _next_period_end(start: datetime) -> datetime:
    return start + timedelta(days=30)


def subscription_ensure(*, team: Team) -> Subscription:
    """The team's subscription row, created as FREE/ACTIVE when missing."""
    now = timezone.now()
    features = plan_features(SubscriptionTier.FREE)
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(
                team=team,
                defaults={
                    "tier": SubscriptionTier.FREE,
                    "status": SubscriptionStatus.ACTIVE,
                    "current_period_start": now,
                    "current_period_end": _next_period_end(now),
                    "features": features.as_dict(),
                },
            )
    except IntegrityError:  # created concurrently
        subscription = Subscription.objects.get(team=team)
    return subscription


def quota_ensure(*, team: Team) -> UsageQuota:
    """The team's quota row for the current period, created with its plan's limits when missing."""
    subscription = subscription_ensure(team=team)
    features = plan_features(subscription.tier)
    try:
        with transaction.atomic():
            quota, _ = UsageQuota.objects.get_or_create(
                team=team,
                defaults={
                    "max_content_generations": features.max_content_generations,
                    "max_api_calls": features.max_api_calls,
                    "reset_date": subscription.current_period_end,
                },
            )
    except IntegrityError:
        quota = UsageQuota.objects.get(team=team)
    return quota


def quota_consume(*, team: Team, kind: QuotaKind, amount: int = 1) -> None:
    """Take `amount` units of `kind` from the team's quota, or raise QuotaExceeded.

    One conditional UPDATE: the database decides, so concurrent callers can never overshoot.
    """
    if kind not in QUOTA_KINDS:
        raise ValueError(f"Unknown quota kind {kind!r}")
    if amount < 1:
        raise ValueError("amount must be positive")
    if settings.SELF_HOSTED:
        return
    quota_ensure(team=team)
    limit_field = f"max_{kind}"
    within_limit = Q(**{f"{limit_field}__isnull": True}) | Q(**{f"{kind}__lte": F(limit_field) - amount})
    updated = UsageQuota.objects.filter(within_limit, team=team).update(
        **{kind: F(kind) + amount, "updated_at": timezone.now()}
    )
    if not updated:
        quota = UsageQuota.objects.get(team=team)
        raise QuotaExceeded(
            f"This workspace has used its {getattr(quota, limit_field)} {kind.replace('_', ' ')} for this period.",
            details={
                "kind": kind,
                "used": getattr(quota, kind),
                "limit": getattr(quota, limit_field),
                "resetDate": quota.reset_date.isoformat(),
                "upgradeUrl": "/billing/",
            },
            retry_after=max(0, int((quota.reset_date - timezone.now()).total_seconds())),
        )


def quota_release(*, team: Team, kind: QuotaKind, amount: int = 1) -> None:
    """Give back units taken by a call that failed. Never goes below zero."""
    if kind not in QUOTA_KINDS:
        raise ValueError(f"Unknown quota kind {kind!r}")
    if amount < 1:
        raise ValueError("amount must be positive")
    if settings.SELF_HOSTED:
        return
    UsageQuota.objects.filter(team=team).update(**{kind: Greatest(F(kind) - amount, 0), "updated_at": timezone.now()})
