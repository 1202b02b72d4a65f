"""Properties 24 and 25 as hypothesis tests, against the fake Stripe at the HTTP layer."""

from __future__ import annotations

import copy
import json

from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accounts.tests.factories import UserFactory
from billing.models import Subscription, UsageQuota
from billing.plans import CURRENCIES, INTERVALS, PAID_TIERS, PLANS, PriceKey
from billing.tests.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, fake_stripe_router
from billing.tests.helpers import deliver, start_checkout, sync_plans
from core.api.errors import ApiError

STRIPE = {"STRIPE_TEST_SECRET_KEY": SECRET_KEY, "DJSTRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_LIVE_MODE": False}


@override_settings(**STRIPE)
class StripePaymentProperties(HypothesisTestCase):
    # Property 24: Stripe Payment Integration
    @settings(max_examples=15, deadline=None)
    @given(
        tier=st.sampled_from([*PAID_TIERS, "FREE", "GOLD"]),
        interval=st.sampled_from([*INTERVALS, "week"]),
        currency=st.sampled_from([*CURRENCIES, "jpy", "EUR"]),
    )
    def test_checkout_charges_the_catalogue_price_in_the_chosen_currency_or_refuses(self, tier, interval, currency):
        fake = FakeStripe()
        with fake_stripe_router(fake):
            sync_plans()
            team = UserFactory().current_team
            fake.requests.clear()
            valid = tier in PAID_TIERS and interval in INTERVALS and currency.lower() in CURRENCIES
            try:
                events = start_checkout(fake, team, tier=tier, interval=interval, currency=currency)
            except ApiError as exc:
                assert not valid
                assert exc.status_code == 400
                assert fake.requests == []  # refused before any money moved
                return
            assert valid
            session_params = next(p for m, path, p in fake.requests if path == "/v1/checkout/sessions")
            price = fake.objects[session_params["line_items"][0]["price"]]
            key = PriceKey(tier, interval, currency.lower())
            assert (price["currency"], price["unit_amount"]) == (key.currency, key.amount)
            assert "payment_method_types" not in session_params  # every method Stripe offers
            assert session_params["automatic_tax"]["enabled"] == "true"
            client = Client()
            for event in events:
                assert deliver(client, event).status_code == 200
            assert Subscription.objects.get(team=team).tier == tier


TIERS = st.sampled_from(list(PAID_TIERS))
STEP = st.one_of(
    st.tuples(st.just("change"), TIERS),
    st.tuples(st.just("cancel_at_period_end"), st.booleans()),
    st.tuples(st.just("renew"), st.just(None)),
)


@override_settings(**STRIPE)
class SubscriptionTierProperties(HypothesisTestCase):
    # Property 25: Subscription Tier Management
    @settings(max_examples=25, deadline=None)
    @given(steps=st.lists(STEP, min_size=1, max_size=6), data=st.data())
    def test_any_delivery_order_with_duplicates_ends_where_in_order_delivery_ends(self, steps, data):
        fake = FakeStripe()
        with fake_stripe_router(fake):
            sync_plans()
            prices = {p["lookup_key"]: p for p in fake.objects.values() if p["object"] == "price"}
            teams = [UserFactory().current_team, UserFactory().current_team]
            client = Client()
            histories = []
            for team in teams:
                events = start_checkout(fake, team, tier="PRO")
                for event in events:
                    deliver(client, event)
                histories.append(fake.subscription(Subscription.objects.get(team=team).stripe_subscription_id))
            # the same Stripe history for both teams' subscriptions
            snapshots: list[list[dict]] = [[], []]
            for kind, value in steps:
                fake.clock += 60
                for index, sub in enumerate(histories):
                    if kind == "change":
                        sub["items"]["data"][0]["price"] = prices[PriceKey(value, "month", "usd").lookup_key]
                    elif kind == "cancel_at_period_end":
                        sub["cancel_at_period_end"] = value
                    else:
                        item = sub["items"]["data"][0]
                        item["current_period_start"] = fake.clock
                        item["current_period_end"] = fake.clock + 30 * 86400
                    snapshots[index].append(fake.event("customer.subscription.updated", copy.deepcopy(sub)))
            # team 0 hears them in order; team 1 shuffled, with some twice
            in_order = snapshots[0]
            shuffled = data.draw(st.permutations(snapshots[1]))
            repeats = data.draw(st.lists(st.sampled_from(snapshots[1]), max_size=3))
            for event in in_order:
                deliver(client, event)
            for event in [*shuffled, *repeats]:
                deliver(client, json.loads(json.dumps(event)))

            ordered, shuffled_row = (Subscription.objects.get(team=t) for t in teams)
            fields = ("tier", "status", "cancel_at_period_end", "pending_tier", "current_period_end")
            assert [getattr(ordered, f) for f in fields] == [getattr(shuffled_row, f) for f in fields]
            # features always follow the tier in force
            for team, row in zip(teams, (ordered, shuffled_row), strict=True):
                expected = PLANS[row.tier].max_content_generations
                assert UsageQuota.objects.get(team=team).max_content_generations == expected


@override_settings(**STRIPE)
class DunningProperties(HypothesisTestCase):
    # Property 26: Usage Tracking and Billing (dunning: the newest payment outcome decides, whatever the delivery order)
    @settings(max_examples=15, deadline=None)
    @given(outcomes=st.lists(st.booleans(), min_size=1, max_size=5), data=st.data())
    def test_the_newest_payment_event_decides_the_dunning_state(self, outcomes, data):
        fake = FakeStripe()
        with fake_stripe_router(fake):
            sync_plans()
            team = UserFactory().current_team
            client = Client()
            for event in start_checkout(fake, team, tier="PRO"):
                deliver(client, event)
            sub = fake.subscription(Subscription.objects.get(team=team).stripe_subscription_id)
            events = [
                fake.event(
                    "invoice.paid" if paid else "invoice.payment_failed",
                    fake.invoice_for(sub, paid=paid),
                    created=fake.clock + 10 * (i + 1),
                )
                for i, paid in enumerate(outcomes)
            ]
            shuffled = data.draw(st.permutations(events))
            repeats = data.draw(st.lists(st.sampled_from(events), max_size=3))
            for event in [*shuffled, *repeats]:
                assert deliver(client, event).status_code == 200

            row = Subscription.objects.get(team=team)
            if outcomes[-1]:
                assert (row.status, row.grace_until) == ("ACTIVE", None)
            else:
                assert row.status == "PAST_DUE" and row.grace_until is not None
            # a failed payment degrades, never removes, what the team pays for
            assert (row.tier, UsageQuota.objects.get(team=team).max_content_generations) == ("PRO", 500)
