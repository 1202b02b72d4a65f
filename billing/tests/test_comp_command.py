"""manage.py comp_workspace: the admin's comp from the command line (and the demo workspace's plan)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from billing.entitlements import has_feature
from billing.models import Subscription, UsageQuota

pytestmark = pytest.mark.django_db


def test_comp_by_owner_email_gives_the_tier_until_the_date():
    owner = UserFactory()
    out = StringIO()

    call_command("comp_workspace", email=owner.email.upper(), tier="ENTERPRISE", days=10, stdout=out)

    sub = Subscription.objects.get(team=owner.current_team)
    assert sub.comp_tier == "ENTERPRISE" and 9 <= (sub.comped_until - timezone.now()).days <= 10
    assert UsageQuota.objects.get(team=owner.current_team).max_content_generations is None
    assert has_feature(owner.current_team, "advanced_analytics")
    assert "Enterprise until" in out.getvalue()


def test_comp_by_team_id_and_bad_targets():
    team = UserFactory().current_team
    call_command("comp_workspace", team=str(team.pk), stdout=StringIO())
    assert Subscription.objects.get(team=team).comp_tier == "PRO"

    for bad in ({"team": "not-a-uuid"}, {"email": "nobody@example.com"}, {"team": str(team.pk), "days": 0}):
        with pytest.raises(CommandError):
            call_command("comp_workspace", stdout=StringIO(), **bad)


def test_the_demo_workspace_is_on_pro_so_every_feature_can_be_tried():
    from monitoring.management.commands.seed_demo import DEMO_EMAIL

    call_command("seed_demo", stdout=StringIO())

    team = Subscription.objects.get(team__owner__email=DEMO_EMAIL, team__is_personal=True).team
    assert has_feature(team, "advanced_analytics") and has_feature(team, "team_collaboration")
    assert UsageQuota.objects.get(team=team).max_content_generations == 500
