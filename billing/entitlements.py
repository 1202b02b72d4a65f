"""Plan features and limits, checked in one place by content, social, scheduling, teams and the API."""

from __future__ import annotations

from typing import Literal

from billing.plans import PlanFeatures
from billing.selectors import team_plan_features
from core.api.errors import PlanFeatureRequired, QuotaExceeded
from teams.models import Team

Feature = Literal["advanced_analytics", "team_collaboration", "api_access", "priority_support"]
CountedLimit = Literal["max_social_accounts", "max_scheduled_posts", "max_team_members"]


def features_for(team: Team) -> PlanFeatures:
    return team_plan_features(team=team)


def has_feature(team: Team, feature: Feature) -> bool:
    return bool(getattr(features_for(team), feature))


def require_feature(team: Team, feature: Feature) -> None:
    """402 PLAN_FEATURE_REQUIRED when the team's plan lacks `feature`."""
    if not has_feature(team, feature):
        raise PlanFeatureRequired(
            f"Your plan does not include {feature.replace('_', ' ')}. Upgrade to use it.",
            details={"feature": feature, "upgradeUrl": "/billing/"},
        )


def require_within_limit(team: Team, limit: CountedLimit, *, current: int, adding: int = 1) -> None:
    """429 QUOTA_EXCEEDED when `current + adding` would pass the plan's `limit` (None = unlimited)."""
    maximum = getattr(features_for(team), limit)
    if maximum is not None and current + adding > maximum:
        raise QuotaExceeded(
            f"Your plan allows {maximum} {limit.removeprefix('max_').replace('_', ' ')}. Upgrade for more.",
            details={"limit": limit, "max": maximum, "current": current, "upgradeUrl": "/billing/"},
        )
