"""What accounts shows and checks about the plan of a user's current team.

Plans live in billing, which sits above accounts in the import order, so billing registers both
functions from BillingConfig.ready and accounts never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.api.errors import PlanFeatureRequired

PlanSummary = Callable[[Any], dict[str, Any]]
FeatureCheck = Callable[[Any, Any], None]


def _free_plan(team_id: Any) -> dict[str, Any]:
    return {
        "subscription_tier": "FREE",
        "subscription_status": "ACTIVE",
        "usage_quota": {
            "content_generations": 0,
            "max_content_generations": None,
            "api_calls": 0,
            "max_api_calls": None,
            "reset_date": None,
        },
    }


def _no_plan_allows(team: Any, feature: str) -> None:
    raise PlanFeatureRequired("This workspace's plan does not include this feature.", details={"feature": feature})


_hooks: dict[str, Any] = {"summary": _free_plan, "feature_check": _no_plan_allows}


def plan_hooks_register(*, summary: PlanSummary, feature_check: FeatureCheck) -> None:
    _hooks["summary"] = summary
    _hooks["feature_check"] = feature_check


def plan_summary(*, team_id: Any) -> dict[str, Any]:
    """`subscription_tier`, `subscription_status` and `usage_quota` of the spec's User object."""
    summary: PlanSummary = _hooks["summary"]
    return summary(team_id)


def plan_feature_require(*, team: Any, feature: str) -> None:
    """402 PLAN_FEATURE_REQUIRED unless the team's plan includes `feature`."""
    check: FeatureCheck = _hooks["feature_check"]
    check(team, feature)
