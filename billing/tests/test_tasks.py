"""Beat tasks: period resets, pending downgrades at period end, comps that run out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from billing.models import Subscription, UsageQuota
from billing.services import subscription_comp
from billing.tasks import end_expired_comps, reset_due_quotas

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_billing_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "billing.tasks.reset_due_quotas",
        "billing.tasks.expire_past_due_grace",
        "billing.tasks.end_expired_comps",
    } <= tasks


def test_a_pending_downgrade_applies_when_the_period_has_ended():
    team = UserFactory().current_team
    Subscription.objects.filter(team=team).update(
        tier="ENTERPRISE", pending_tier="PRO", current_period_end=timezone.now() - timedelta(minutes=1)
    )

    reset_due_quotas.delay()

    sub = Subscription.objects.get(team=team)
    assert (sub.tier, sub.pending_tier) == ("PRO", "")
    assert UsageQuota.objects.get(team=team).max_content_generations == 500


def test_a_comp_gives_its_tier_until_the_date_then_ends():
    team = UserFactory().current_team
    subscription_comp(team=team, tier="ENTERPRISE", until=timezone.now() + timedelta(days=1))
    assert UsageQuota.objects.get(team=team).max_content_generations is None

    Subscription.objects.filter(team=team).update(comped_until=timezone.now() - timedelta(seconds=1))
    end_expired_comps.delay()

    sub = Subscription.objects.get(team=team)
    assert (sub.comp_tier, sub.comped_until) == ("", None)
    assert UsageQuota.objects.get(team=team).max_content_generations == 10
