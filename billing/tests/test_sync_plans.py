from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from djstripe.models import Price, Product

from billing.plans import price_keys

pytestmark = pytest.mark.django_db


def test_sync_creates_products_and_prices_then_is_idempotent(fake_stripe):
    out = StringIO()
    call_command("sync_stripe_plans", stdout=out)

    keys = {k.lookup_key for k in price_keys()}
    stripe_prices = [o for o in fake_stripe.objects.values() if o["object"] == "price"]
    assert {p["lookup_key"] for p in stripe_prices} == keys
    assert len(keys) == 12  # 2 paid tiers x 2 intervals x 3 currencies
    assert Product.objects.count() == 2
    assert Price.objects.count() == 12

    call_command("sync_stripe_plans", stdout=StringIO())

    assert len([o for o in fake_stripe.objects.values() if o["object"] == "price"]) == 12
    assert Price.objects.count() == 12


def test_a_changed_amount_gets_a_new_price_that_takes_over_the_lookup_key(fake_stripe, monkeypatch):
    call_command("sync_stripe_plans", stdout=StringIO())
    from billing import plans

    monkeypatch.setitem(plans.PRICES["PRO"]["month"], "usd", 3900)
    call_command("sync_stripe_plans", stdout=StringIO())

    pro_usd = [
        o
        for o in fake_stripe.objects.values()
        if o["object"] == "price"
        and o["currency"] == "usd"
        and o["recurring"]["interval"] == "month"
        and o["product"] == "contentgenai_pro"
    ]
    active = [p for p in pro_usd if p["active"]]
    assert len(pro_usd) == 2
    assert len(active) == 1 and active[0]["unit_amount"] == 3900
    assert active[0]["lookup_key"] == "contentgenai_pro_month_usd"


def test_without_keys_the_command_says_how_to_configure(settings):
    settings.STRIPE_TEST_SECRET_KEY = ""
    settings.STRIPE_LIVE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="STRIPE_TEST_SECRET_KEY"):
        call_command("sync_stripe_plans")
