"""Integrations in a real browser: add a webhook, copy its secret, send a test event, read the log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from integrations.signing import signature_verify
from integrations.tests.conftest import LocalServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the test's own receiver, nothing else
    with LocalServer() as server:
        yield server


def test_add_a_webhook_send_a_test_event_and_read_the_delivery_log(page, log_in, receiver, page_problems):
    owner = User.objects.create_user("olive@example.com", PASSWORD, first_name="Olive")
    log_in(owner.email, PASSWORD)

    page.get_by_test_id("nav-integrations").click()
    form = page.get_by_test_id("webhook-form")
    form.get_by_label("Endpoint URL").fill("http://169.254.169.254/latest/meta-data/")
    form.get_by_label("Post published").check()
    form.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("cannot be reached")

    form = page.get_by_test_id("webhook-form")
    form.get_by_label("Endpoint URL").fill(f"{receiver.url}/hooks")
    form.get_by_label("Post published").check()
    form.get_by_role("button", name="Add webhook").click()
    secret = page.get_by_test_id("webhook-secret").locator("code").inner_text().strip()
    assert secret.startswith("whsec_")

    page.get_by_test_id("send-test").click()
    expect(page.get_by_test_id("delivery-row")).to_have_count(1)
    expect(page.get_by_test_id("attempt")).to_contain_text("HTTP 200")
    expect(page.get_by_test_id("webhook-secret")).to_have_count(0)  # shown once only
    [request] = receiver.requests
    header = request.headers["contentgenai-signature"]
    assert signature_verify(secret=secret, header=header, body=request.body, now=int(header.split(",")[0][2:]))
    page.wait_for_load_state("networkidle")
    # The refused address answered 400 (the form with its error), which the console reports as such.
    problems = [p for p in page_problems.collect(page) if "status of 400" not in p]
    assert problems == []
