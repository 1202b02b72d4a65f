"""The composer's AI actions in a browser: translate side by side and save it as a language version,
optimise and use the result (the live checks and the preview follow)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from teams.tests.factories import BrandFactory
from tests.browser.conftest import RESULTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"


def test_translate_side_by_side_then_optimise_and_use_it(page, log_in, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    user = User.objects.create_user("lea@example.com", PASSWORD, first_name="Léa", email_verified=True)
    log_in(user.email, PASSWORD)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Bread delivery by bike")
    page.get_by_test_id("generate").click()
    card = page.get_by_test_id("preview-card").first
    editor = card.get_by_test_id("preview-text")
    expect(editor).to_have_value(re.compile("bike", re.I))

    # translate into Spanish: the draft and the translation side by side, saved as a new language version
    card.get_by_test_id("assist-language").select_option("es")
    card.get_by_test_id("assist-translate").click()
    result = card.get_by_test_id("assist-result")
    expect(result.get_by_test_id("assist-output")).not_to_be_empty()
    expect(result.locator(".assist-original")).to_contain_text("bike")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "composer-translate.png"), full_page=True)
    result.get_by_test_id("assist-save-language").click()
    expect(result.get_by_test_id("assist-saved-link")).to_be_visible()
    saved = ContentPost.objects.get()
    assert saved.metadata["language"] == "es"
    assert saved.content.split() == result.get_by_test_id("assist-output").inner_text().split()

    # optimise, then use it: the editor, the checks and the post card follow
    card.get_by_test_id("assist-optimize").click()
    expect(result.get_by_test_id("assist-use")).to_be_visible()
    optimised = result.get_by_test_id("assist-output").inner_text()
    result.get_by_test_id("assist-use").first.click()
    expect(editor).to_have_value(re.compile(re.escape(optimised.split()[-1]) + r"\s*$"))
    assert editor.input_value().split() == optimised.split()
    expect(card.get_by_test_id("preview-body")).to_contain_text(optimised.split("\n")[0][:40])
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []


def test_write_it_myself_gives_a_checked_card_without_the_ai(page, log_in, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    user = User.objects.create_user("noa@example.com", PASSWORD, first_name="Noa", email_verified=True)
    BrandFactory(team=user.current_team, name="Noa's Bakery", default_hashtags=["#Bakery", "#Lisbon"])
    log_in(user.email, PASSWORD)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Open until 8pm today #Lisbon")
    page.get_by_label("X (Twitter)").check()
    page.get_by_label("Brand voice").select_option(label="Noa's Bakery")
    expect(page.get_by_test_id("brand-hashtags")).to_have_text("#Bakery #Lisbon")
    page.get_by_test_id("write-own").click()

    cards = page.get_by_test_id("preview-card")
    expect(cards).to_have_count(2)
    x_card = cards.filter(has=page.get_by_role("heading", name="X (Twitter)"))
    # the brand's default hashtags are added once (#Lisbon is already in the text)
    expect(x_card.get_by_test_id("preview-text")).to_have_value("Open until 8pm today #Lisbon\n\n#Bakery")
    expect(x_card.get_by_test_id("char-counter")).to_have_text("37 / 280")
    expect(x_card.get_by_test_id("hashtag-chips")).to_have_text("#Lisbon#Bakery")
    x_card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()
    assert ContentPost.objects.get().content == "Open until 8pm today #Lisbon\n\n#Bakery"
    assert page_problems.collect(page) == []
