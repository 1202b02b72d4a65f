from __future__ import annotations

from django.conf import settings

from billing.models import Subscription
from billing.plans import UNLIMITED, PlanFeatures, plan_features
from teams.models import Team


def team_plan_features(*, team: Team) -> PlanFeatures:
    """What the team may do now. Self-hosted instances have every feature, unlimited."""
    if settings.SELF_HOSTED:
        return UNLIMITED
    subscription = Subscription.objects.filter(team=team).only("tier").first()
    return plan_features(subscription.tier if subscription else "FREE")
