"""A free team uses up its generations, sees the upgrade prompt, pays on (fake) Stripe Checkout, and has room again.

Stripe's hosted checkout is played by a tiny local page: opening it completes the session in the fake
Stripe API, delivers the signed checkout.session.completed / customer.subscription.created /
invoice.paid webhooks to the live server, then redirects to the success URL, as Stripe does.
The 10 generations are used up through billing.services.quota_consume in the setup; the user then
asks the Generate studio (offline writer) for a post before and after checkout: refused with the
upgrade prompt first, written after.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from billing.models import Subscription, UsageQuota
from billing.services import quota_consume
from billing.tests.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, fake_stripe_router, sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def _checkout_page(fake: FakeStripe, live_server_url: str) -> type[BaseHTTPRequestHandler]:
    class HostedCheckout(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            session_id = self.path.rstrip("/").rsplit("/", 1)[-1]
            for event in fake.complete_checkout(session_id):
                payload = json.dumps(event).encode()
                request = urllib.request.Request(  # noqa: S310 (the local live server)
                    f"{live_server_url}/api/billing/webhook/",
                    data=payload,
                    headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload.decode())},
                    method="POST",
                )
                with urllib.request.urlopen(request) as answer:  # noqa: S310
                    assert answer.status == 200
            self.send_response(303)
            self.send_header("Location", fake.objects[session_id]["success_url"])
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return HostedCheckout


@pytest.fixture
def stripe_with_hosted_checkout(settings, live_server) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _checkout_page(fake, live_server.url))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    fake.checkout_base_url = f"{origin}/pay"
    settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
    settings.DJSTRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], origin]
    settings.CONTENT_SECURITY_POLICY = policy
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with fake_stripe_router(fake):
        call_command("sync_stripe_plans", stdout=StringIO())
        yield fake
    server.shutdown()
    server.server_close()


def test_free_user_hits_the_quota_upgrades_through_checkout_and_has_room_again(
    page, log_in, stripe_with_hosted_checkout, page_problems, settings
):
    settings.AI_PROVIDER_PRIORITY = ["offline"]
    settings.OPENAI_API_KEY = settings.ANTHROPIC_API_KEY = settings.AI_COMPAT_BASE_URL = ""
    # given a free user who has used all 10 generations of the period
    user = User.objects.create_user("grace@example.com", PASSWORD, first_name="Grace", email_verified=True)
    team = user.current_team
    for _ in range(10):
        quota_consume(team=team, kind="content_generations")
    log_in(user.email, PASSWORD)

    # when they ask the studio for one more post, they are refused and offered the upgrade
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Fresh coffee beans")
    page.get_by_test_id("generate").click()
    prompt = page.get_by_test_id("studio-upgrade")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("used its 10 AI generations")
    expect(page.get_by_test_id("preview-card")).to_have_count(0)
    assert UsageQuota.objects.get(team=team).content_generations == 10
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []

    # and they follow the prompt, pick Pro yearly in euros, and pay on the hosted checkout page
    prompt.get_by_test_id("upgrade-link").click()
    expect(page).to_have_url(re.compile(r"/billing/$"))
    page.get_by_test_id("interval-year").click()
    page.get_by_test_id("currency-eur").click()
    expect(page.get_by_test_id("price-pro")).to_contain_text("€270.00")
    page.get_by_test_id("upgrade-pro").click()

    # then they are back on billing with Pro active, and the generation quota has room again
    expect(page).to_have_url(re.compile(r"/billing/\?checkout=success"))
    expect(page.get_by_test_id("checkout-success")).to_be_visible()
    expect(page.get_by_test_id("current-tier")).to_have_text("Pro")
    subscription = Subscription.objects.get(team=team)
    assert (subscription.tier, subscription.status, subscription.stripe_price_lookup_key) == (
        "PRO",
        "ACTIVE",
        "contentgenai_pro_year_eur",
    )
    assert UsageQuota.objects.get(team=team).max_content_generations == 500
    # the paid period starts with fresh counters: the studio writes again
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Fresh coffee beans")
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("preview-card")).to_have_count(1)
    expect(page.get_by_test_id("preview-text")).to_have_value(re.compile("coffee", re.IGNORECASE))
    expect(page.get_by_test_id("studio-upgrade")).to_be_hidden()

    page.goto("/billing/usage/")
    expect(page.get_by_test_id("usage-content_generations-text")).to_have_text("1 / 500")
    expect(page.get_by_test_id("upgrade-prompt")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
