"""The studio's brand select in a real browser: the brand shapes the draft and is saved on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import Brand, ContentPost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"


def test_a_picked_brand_is_saved_on_the_draft(page, log_in, page_problems):
    ada = User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada")
    brand = Brand.objects.create(team=ada.current_team, name="Bean There", default_hashtags=["#BrewTogether"])
    log_in(ada.email, PASSWORD)
    page.goto("/generate/")

    page.get_by_label("Topic").fill("Our autumn coffee blend")
    page.get_by_label("Brand voice").select_option(label="Bean There")
    page.get_by_test_id("generate").click()
    card = page.get_by_test_id("preview-card").first
    expect(card.get_by_test_id("preview-text")).to_have_value(re.compile("autumn coffee blend"))
    card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()

    post = ContentPost.objects.get()
    assert post.brand_id == brand.pk
    page.goto(f"/generate/?post={post.pk}")
    expect(page.get_by_label("Brand voice")).to_have_value(str(brand.pk))
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
