"""The studio in a real browser with the offline writer: generate → edit → save, no console errors or CSP violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def ada(db):
    return User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada")


def test_generate_edit_and_save_a_draft(page, log_in, ada, page_problems):
    log_in(ada.email, PASSWORD)
    page.goto("/generate/")
    expect(page.get_by_test_id("offline-note")).to_be_visible()

    page.get_by_label("Topic").fill("Our autumn coffee blend")
    page.get_by_label("X (Twitter)").check()
    page.get_by_label("Audience").fill("baristas")
    page.get_by_test_id("generate").click()

    cards = page.get_by_test_id("preview-card")
    expect(cards).to_have_count(2)
    x_card = cards.filter(has=page.get_by_role("heading", name="X (Twitter)"))
    text = x_card.get_by_test_id("preview-text")
    expect(text).to_have_value(re.compile("autumn coffee blend"))
    expect(x_card.get_by_test_id("provider-badge")).to_contain_text("offline")
    expect(x_card.get_by_test_id("char-counter")).to_have_text(re.compile(r"^\d+ / 280$"))
    # the score says where it comes from (no trained model yet: platform benchmarks)
    expect(x_card.get_by_test_id("preview-notes")).to_contain_text("platform benchmarks")

    text.fill("Edited by hand: our autumn blend is here ☕ #Coffee")
    expect(x_card.get_by_test_id("char-counter")).to_have_text(re.compile(r"^5\d / 280$"))
    x_card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()

    post = ContentPost.objects.get()
    assert post.content.startswith("Edited by hand") and post.platform == "twitter" and post.status == "DRAFT"
    page.goto("/posts/")
    expect(page.get_by_test_id("post-row")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/generate/")
    expect(page.get_by_test_id("generate")).to_be_visible()
