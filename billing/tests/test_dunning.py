"""Dunning: failed payment -> PAST_DUE with grace (degraded), then UNPAID on FREE limits; payment restores."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import UserFactory
from billing.entitlements import require_feature, require_within_limit
from billing.models import Subscription, UsageQuota
from billing.tasks import expire_past_due_grace
from billing.tests.helpers import deliver, start_checkout, sync_plans
from core.api.errors import QuotaExceeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def paying(client, fake_stripe):
    sync_plans()
    team = UserFactory().current_team
    for event in start_checkout(fake_stripe, team):
        deliver(client, event)
    return team


def _sub_id(team):
    return Subscription.objects.get(team=team).stripe_subscription_id


def test_a_failed_payment_opens_a_grace_period_and_emails_the_owner(
    client, fake_stripe, paying, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for event in fake_stripe.renew(_sub_id(paying), paid=False):
            deliver(client, event)

    sub = Subscription.objects.get(team=paying)
    assert sub.status == "PAST_DUE"
    assert sub.grace_until - timezone.now() > timedelta(days=6, hours=23)
    assert [m.to for m in mailoutbox] == [[paying.owner.email]]
    assert "Payment failed" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives  # an HTML part too


def test_during_grace_existing_features_stay_but_new_work_is_capped_at_free(client, fake_stripe, paying):
    for event in fake_stripe.renew(_sub_id(paying), paid=False):
        deliver(client, event)

    require_feature(paying, "advanced_analytics")  # still the paid plan's
    require_within_limit(paying, "max_scheduled_posts", current=9)
    with pytest.raises(QuotaExceeded) as excinfo:
        require_within_limit(paying, "max_scheduled_posts", current=10)  # PRO allows 1000, FREE 10
    assert excinfo.value.details["upgradeUrl"] == "/billing/"


def test_after_the_grace_the_team_is_unpaid_on_free_limits_and_a_payment_restores_it(
    client, fake_stripe, paying, mailoutbox, django_capture_on_commit_callbacks
):
    sub_id = _sub_id(paying)
    for event in fake_stripe.renew(sub_id, paid=False):
        deliver(client, event)

    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            expire_past_due_grace.delay()

    sub = Subscription.objects.get(team=paying)
    assert sub.status == "UNPAID"
    assert UsageQuota.objects.get(team=paying).max_content_generations == 10
    assert "Free plan" in mailoutbox[-1].subject

    fake_stripe.objects[sub_id]["status"] = "active"
    invoice = fake_stripe.invoice_for(fake_stripe.subscription(sub_id), paid=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fake_stripe.event("invoice.paid", invoice, created=fake_stripe.clock + 60))

    sub.refresh_from_db()
    assert (sub.tier, sub.status, sub.grace_until) == ("PRO", "ACTIVE", None)
    assert UsageQuota.objects.get(team=paying).max_content_generations == 500
    assert "Payment received" in mailoutbox[-1].subject


def test_grace_that_has_not_run_out_is_left_alone(client, fake_stripe, paying):
    for event in fake_stripe.renew(_sub_id(paying), paid=False):
        deliver(client, event)

    expire_past_due_grace.delay()

    assert Subscription.objects.get(team=paying).status == "PAST_DUE"


def test_a_late_failure_event_does_not_undo_a_newer_payment(client, fake_stripe, paying):
    sub_id = _sub_id(paying)
    sub = fake_stripe.subscription(sub_id)
    failed = fake_stripe.event(
        "invoice.payment_failed", fake_stripe.invoice_for(sub, paid=False), created=fake_stripe.clock + 10
    )
    paid = fake_stripe.event("invoice.paid", fake_stripe.invoice_for(sub, paid=True), created=fake_stripe.clock + 20)

    deliver(client, paid)
    deliver(client, failed)

    assert Subscription.objects.get(team=paying).status == "ACTIVE"


def test_dunning_emails_speak_the_owners_language(
    client, fake_stripe, paying, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.services import user_preferences_ensure

    prefs = user_preferences_ensure(user=paying.owner)
    prefs.language = "es"
    prefs.save()

    with django_capture_on_commit_callbacks(execute=True):
        for event in fake_stripe.renew(_sub_id(paying), paid=False):
            deliver(client, event)

    assert mailoutbox[0].subject.startswith("Falló el pago de")
    assert "We could not collect" not in mailoutbox[0].body
