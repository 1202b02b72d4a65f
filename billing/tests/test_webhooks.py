"""Stripe webhooks: signed, applied once, in the right final state whatever the delivery order."""

from __future__ import annotations

import copy
import json

import pytest
from djstripe.models import Invoice

from accounts.tests.factories import UserFactory
from billing.models import StripeEvent, Subscription, UsageQuota
from billing.tests.fake_stripe import sign
from billing.tests.helpers import WEBHOOK_URL, deliver, start_checkout, sync_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(fake_stripe):
    sync_plans()
    return UserFactory().current_team


def _state(team):
    sub = Subscription.objects.get(team=team)
    quota = UsageQuota.objects.get(team=team)
    return (sub.tier, sub.status, sub.cancel_at_period_end, sub.pending_tier, quota.max_content_generations)


def test_paid_checkout_makes_the_team_pro_at_once(client, fake_stripe, team):
    events = start_checkout(fake_stripe, team)

    for event in events:
        assert deliver(client, event).status_code == 200

    sub = Subscription.objects.get(team=team)
    assert (sub.tier, sub.status) == ("PRO", "ACTIVE")
    assert sub.stripe_subscription_id.startswith("sub_")
    assert sub.stripe_customer_id.startswith("cus_")
    assert UsageQuota.objects.get(team=team).max_content_generations == 500
    # the invoice is mirrored into dj-stripe, with its PDF link
    invoice = Invoice.objects.get()
    assert invoice.stripe_data["invoice_pdf"].endswith("/pdf")


def test_every_event_delivered_twice_is_applied_once(client, fake_stripe, team):
    events = start_checkout(fake_stripe, team)

    answers = [deliver(client, e).json()["processed"] for e in events for _ in range(2)]

    assert answers == [True, False] * 3
    assert StripeEvent.objects.count() == 3
    assert _state(team) == ("PRO", "ACTIVE", False, "", 500)


def test_events_in_reverse_order_end_in_the_same_state(client, fake_stripe, team):
    events = start_checkout(fake_stripe, team)

    for event in reversed(events):
        assert deliver(client, event).status_code == 200

    assert _state(team) == ("PRO", "ACTIVE", False, "", 500)


def test_an_older_snapshot_arriving_late_does_not_undo_a_newer_one(client, fake_stripe, team):
    events = start_checkout(fake_stripe, team)
    for event in events:
        deliver(client, event)
    sub_id = Subscription.objects.get(team=team).stripe_subscription_id
    older = fake_stripe.event(
        "customer.subscription.updated", fake_stripe.subscription(sub_id), created=fake_stripe.clock + 10
    )
    cancelled = copy.deepcopy(fake_stripe.subscription(sub_id))
    cancelled["cancel_at_period_end"] = True
    newer = fake_stripe.event("customer.subscription.updated", cancelled, created=fake_stripe.clock + 20)

    deliver(client, newer)
    deliver(client, older)

    assert _state(team) == ("PRO", "ACTIVE", True, "", 500)


def test_a_deleted_subscription_never_comes_back(client, fake_stripe, team):
    for event in start_checkout(fake_stripe, team):
        deliver(client, event)
    sub = copy.deepcopy(fake_stripe.subscription(Subscription.objects.get(team=team).stripe_subscription_id))
    active_late = fake_stripe.event("customer.subscription.updated", sub, created=fake_stripe.clock + 5)
    sub["status"] = "canceled"
    deleted = fake_stripe.event("customer.subscription.deleted", sub, created=fake_stripe.clock + 5)

    deliver(client, deleted)
    deliver(client, active_late)

    assert _state(team) == ("FREE", "CANCELLED", False, "", 10)


@pytest.mark.parametrize(
    "signature",
    [
        "",  # missing
        "t=1,v1=deadbeef",  # wrong and stale
        "garbage",
        None,  # signed with the wrong secret (below)
    ],
)
def test_a_bad_signature_is_400_and_changes_nothing(client, fake_stripe, team, signature):
    events = start_checkout(fake_stripe, team)
    before = _state(team)

    for event in events:
        if signature is None:
            response = deliver(client, event, secret="whsec_someone_else")
        else:
            response = deliver(client, event, signature=signature)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "VALIDATION_ERROR"

    assert _state(team) == before
    assert StripeEvent.objects.count() == 0


def test_a_tampered_payload_is_refused(client, fake_stripe, team):
    event = start_checkout(fake_stripe, team)[1]
    payload = json.dumps(event)
    header = sign(payload)
    tampered = payload.replace('"PRO"', '"ENTERPRISE"')

    response = client.post(WEBHOOK_URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)

    assert response.status_code == 400
    assert Subscription.objects.get(team=team).tier == "FREE"


def test_the_webhook_needs_no_login_and_ignores_events_we_do_not_handle(client, fake_stripe, team):
    event = fake_stripe.event("customer.created", {"id": "cus_x", "object": "customer"})

    response = deliver(client, event)

    assert response.status_code == 200
    assert response.json() == {"success": True, "processed": False}


def test_a_burst_of_webhooks_is_never_rate_limited(settings):
    from django.test import Client

    # more deliveries than the anonymous per-IP limit (API_RATE_LIMIT_ANON, 100/hour) allows
    limit = int(settings.API_RATE_LIMITS["ANON"].split("/")[0])
    client = Client()
    codes = {
        client.post(
            "/api/billing/webhook/", data=b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=bad"
        ).status_code
        for _ in range(limit + 5)
    }

    assert codes == {400}  # refused for the bad signature every time, never 429
