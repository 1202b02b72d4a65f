"""Plan features and limits, checked in one place by content, social, scheduling, teams and the API.

Refusals are 402 PLAN_FEATURE_REQUIRED (the plan lacks a feature) or 429 QUOTA_EXCEEDED (a limit is
reached), both with `details.upgradeUrl` pointing at the billing page.

Dunning rule: while a team is PAST_DUE (its grace period after a failed payment) the features it
pays for stay on, but creating anything counted by `require_within_limit` is capped at FREE's limits.
After the grace period the team is UNPAID and everything is FREE until a payment succeeds.
"""

from __future__ import annotations

from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from billing.plans import PlanFeatures
from billing.selectors import team_new_work_features, team_plan_features
from core.api.errors import PlanFeatureRequired, QuotaExceeded
from teams.models import Team

Feature = Literal["advanced_analytics", "team_collaboration", "api_access", "priority_support"]
CountedLimit = Literal["max_social_accounts", "max_scheduled_posts", "max_team_members"]


# Whole sentences per feature and limit, so translators see each one in full.
_MISSING_FEATURE = {
    "advanced_analytics": gettext_lazy("Your plan does not include advanced analytics. Upgrade to use it."),
    "team_collaboration": gettext_lazy("Your plan does not include team collaboration. Upgrade to use it."),
    "api_access": gettext_lazy("Your plan does not include API access. Upgrade to use it."),
    "priority_support": gettext_lazy("Your plan does not include priority support. Upgrade to use it."),
}


def _limit_message(limit: str, maximum: int) -> str:
    if limit == "max_social_accounts":
        text = ngettext(
            "Your plan allows %(max)s social account. Upgrade for more.",
            "Your plan allows %(max)s social accounts. Upgrade for more.",
            maximum,
        )
    elif limit == "max_scheduled_posts":
        text = ngettext(
            "Your plan allows %(max)s scheduled post. Upgrade for more.",
            "Your plan allows %(max)s scheduled posts. Upgrade for more.",
            maximum,
        )
    else:
        text = ngettext(
            "Your plan allows %(max)s team member. Upgrade for more.",
            "Your plan allows %(max)s team members. Upgrade for more.",
            maximum,
        )
    return text % {"max": maximum}


def upgrade_url() -> str:
    return reverse("billing:overview")


def features_for(team: Team) -> PlanFeatures:
    return team_plan_features(team=team)


def has_feature(team: Team, feature: Feature) -> bool:
    return bool(getattr(features_for(team), feature))


def require_feature(team: Team, feature: Feature) -> None:
    """402 PLAN_FEATURE_REQUIRED when the team's plan lacks `feature`."""
    if not has_feature(team, feature):
        raise PlanFeatureRequired(
            str(_MISSING_FEATURE[feature]),
            details={"feature": feature, "upgradeUrl": upgrade_url()},
        )


def limit_for_new(team: Team, limit: CountedLimit) -> int | None:
    """The ceiling for creating one more: the plan's, or FREE's while the team is past due."""
    return getattr(team_new_work_features(team=team), limit)


def require_within_limit(team: Team, limit: CountedLimit, *, current: int, adding: int = 1) -> None:
    """429 QUOTA_EXCEEDED when `current + adding` would pass the plan's `limit` (None = unlimited)."""
    maximum = limit_for_new(team, limit)
    if maximum is not None and current + adding > maximum:
        raise QuotaExceeded(
            _limit_message(limit, maximum),
            details={"limit": limit, "max": maximum, "current": current, "upgradeUrl": upgrade_url()},
        )
