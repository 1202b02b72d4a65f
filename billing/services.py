"""Billing writes. Quotas are taken and given back here and nowhere else."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Subscription, SubscriptionStatus, SubscriptionTier, UsageQuota
from billing.plans import TIER_RANK, plan_features
from billing.selectors import team_plan_features
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
    features = team_plan_features(team=team)
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
    limit_field = f"max_{kind}"
    within_limit = Q(**{f"{limit_field}__isnull": True}) | Q(**{f"{kind}__lte": F(limit_field) - amount})
    updated = UsageQuota.objects.filter(within_limit, team=team).update(
        **{kind: F(kind) + amount, "updated_at": timezone.now()}
    )
    if not updated and not UsageQuota.objects.filter(team=team).exists():
        # First use by a team created before billing existed: make its row, then try once more.
        quota_ensure(team=team)
        updated = UsageQuota.objects.filter(within_limit, team=team).update(
            **{kind: F(kind) + amount, "updated_at": timezone.now()}
        )
    if not updated:
        quota = UsageQuota.objects.get(team=team)
        if kind == "content_generations":
            message = _("This workspace has used its %(limit)s AI generations for this period.")
        else:
            message = _("This workspace has used its %(limit)s API calls for this period.")
        raise QuotaExceeded(
            message % {"limit": getattr(quota, limit_field)},
            details={
                "kind": kind,
                "used": getattr(quota, kind),
                "limit": getattr(quota, limit_field),
                "resetDate": quota.reset_date.isoformat(),
                "upgradeUrl": reverse("billing:overview"),
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


def quota_apply_plan(*, team: Team) -> UsageQuota:
    """Set the quota maxima to what the team's plan allows now (upgrades, comps, dunning)."""
    quota = quota_ensure(team=team)
    features = team_plan_features(team=team)
    UsageQuota.objects.filter(pk=quota.pk).update(
        max_content_generations=features.max_content_generations,
        max_api_calls=features.max_api_calls,
        updated_at=timezone.now(),
    )
    Subscription.objects.filter(team=team).update(features=features.as_dict())
    quota.refresh_from_db()
    return quota


def quota_reset(*, team: Team, next_reset: datetime | None = None, only_if_due: bool = True) -> int | None:
    """Start a new period: counters to zero and the next reset date. Returns the units that were in use.

    The row is locked, so a consume racing the reset lands either wholly before it (and is zeroed)
    or wholly after it (and counts in the new period): never lost, never counted twice.
    """
    now = timezone.now()
    with transaction.atomic():
        quota = UsageQuota.objects.select_for_update().filter(team=team).first()
        if quota is None or (only_if_due and quota.reset_date > now):
            return None
        used = quota.content_generations
        reset_date = next_reset or quota.reset_date
        while reset_date <= now:
            reset_date = _next_period_end(reset_date)
        UsageQuota.objects.filter(pk=quota.pk).update(
            content_generations=0, api_calls=0, reset_date=reset_date, updated_at=now
        )
    return used


def quota_reset_due() -> int:
    """Reset every quota whose period has ended (the beat task). Returns how many were reset."""
    due = UsageQuota.objects.filter(reset_date__lte=timezone.now()).select_related("team")
    return sum(1 for quota in due.iterator() if quota_reset(team=quota.team) is not None)


def is_downgrade(*, current: str, new: str) -> bool:
    return TIER_RANK.get(new, 0) < TIER_RANK.get(current, 0)


def subscription_comp(*, team: Team, tier: str, until: datetime) -> Subscription:
    """Staff gives a team `tier` until `until`, without Stripe (a comp, or extending one)."""
    if tier not in SubscriptionTier.values:
        raise ValueError(f"Unknown tier {tier!r}")
    subscription = subscription_ensure(team=team)
    Subscription.objects.filter(pk=subscription.pk).update(
        comp_tier=tier, comped_until=until, updated_at=timezone.now()
    )
    quota_apply_plan(team=team)
    subscription.refresh_from_db()
    return subscription


def subscription_end_expired_comps() -> int:
    """Comps past their date end; the team falls back to what it pays for."""
    expired = list(
        Subscription.objects.filter(comped_until__lte=timezone.now()).exclude(comp_tier="").select_related("team")
    )
    for subscription in expired:
        Subscription.objects.filter(pk=subscription.pk).update(comp_tier="", comped_until=None)
        quota_apply_plan(team=subscription.team)
    return len(expired)


def subscription_apply_pending_downgrades() -> int:
    """Downgrades wait for the end of the period they were asked in."""
    due = list(
        Subscription.objects.filter(current_period_end__lte=timezone.now())
        .exclude(pending_tier="")
        .select_related("team")
    )
    for subscription in due:
        Subscription.objects.filter(pk=subscription.pk).update(tier=subscription.pending_tier, pending_tier="")
        quota_apply_plan(team=subscription.team)
    return len(due)
