"""The plan catalogue: what each tier may do. The one source of plan limits.

`None` means unlimited. FREE's generation and API-call limits are the spec's UsageQuota defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from billing.models import SubscriptionTier


@dataclass(frozen=True)
class PlanFeatures:
    max_content_generations: int | None
    max_api_calls: int | None
    max_social_accounts: int | None
    max_scheduled_posts: int | None
    max_team_members: int | None
    advanced_analytics: bool
    team_collaboration: bool
    api_access: bool
    priority_support: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


PLANS: dict[str, PlanFeatures] = {
    SubscriptionTier.FREE: PlanFeatures(
        max_content_generations=10,
        max_api_calls=100,
        max_social_accounts=3,
        max_scheduled_posts=10,
        max_team_members=1,
        advanced_analytics=False,
        team_collaboration=False,
        api_access=True,
        priority_support=False,
    ),
    SubscriptionTier.PRO: PlanFeatures(
        max_content_generations=500,
        max_api_calls=10_000,
        max_social_accounts=15,
        max_scheduled_posts=1_000,
        max_team_members=5,
        advanced_analytics=True,
        team_collaboration=True,
        api_access=True,
        priority_support=False,
    ),
    SubscriptionTier.ENTERPRISE: PlanFeatures(
        max_content_generations=None,
        max_api_calls=None,
        max_social_accounts=None,
        max_scheduled_posts=None,
        max_team_members=None,
        advanced_analytics=True,
        team_collaboration=True,
        api_access=True,
        priority_support=True,
    ),
}

UNLIMITED = PLANS[SubscriptionTier.ENTERPRISE]


def plan_features(tier: str) -> PlanFeatures:
    return PLANS.get(tier, PLANS[SubscriptionTier.FREE])
