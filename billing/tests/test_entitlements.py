from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from billing.entitlements import require_feature, require_within_limit
from billing.models import Subscription
from core.api.errors import PlanFeatureRequired, QuotaExceeded

pytestmark = pytest.mark.django_db


def test_free_plan_lacks_team_collaboration_and_pro_has_it():
    team = UserFactory().current_team
    with pytest.raises(PlanFeatureRequired) as excinfo:
        require_feature(team, "team_collaboration")
    assert excinfo.value.status_code == 402

    Subscription.objects.filter(team=team).update(tier="PRO")
    require_feature(team, "team_collaboration")


def test_counted_limits_refuse_the_one_too_many():
    team = UserFactory().current_team
    require_within_limit(team, "max_social_accounts", current=2)
    with pytest.raises(QuotaExceeded):
        require_within_limit(team, "max_social_accounts", current=3)


def test_self_hosted_has_every_feature_unlimited(settings):
    settings.SELF_HOSTED = True
    team = UserFactory().current_team

    require_feature(team, "advanced_analytics")
    require_within_limit(team, "max_social_accounts", current=10_000)
