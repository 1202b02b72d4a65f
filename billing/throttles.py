"""API rate limits per user by plan tier (FREE/PRO/ENTERPRISE), counted in the cache (Redis in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request

from accounts.throttles import RecordingRateThrottle
from billing.models import Subscription, SubscriptionTier


def team_tier(*, team_id: Any) -> str:
    """The tier of a team's subscription: one indexed query per API request, so an upgrade applies at once."""
    if settings.SELF_HOSTED:
        return SubscriptionTier.ENTERPRISE
    if team_id is None:
        return SubscriptionTier.FREE
    tier = Subscription.objects.filter(team_id=team_id).values_list("tier", flat=True).first()
    return str(tier or SubscriptionTier.FREE)


class PlanTierRateThrottle(RecordingRateThrottle):
    """Signed-in callers are counted per user at the rate of their current team's tier; others per IP."""

    def rate_for(self, request: Request) -> str | None:
        rates: dict[str, str] = settings.API_RATE_LIMITS
        user = request.user
        if not (user and user.is_authenticated):
            return rates["ANON"]
        tier = team_tier(team_id=getattr(user, "current_team_id", None))
        return rates.get(tier) or rates[SubscriptionTier.FREE]

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{self.get_ident(request)}"
        return f"{self.cache_prefix}:plan:{ident}"
