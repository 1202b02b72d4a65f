"""Tracked links from the studio: the toggle and campaign go with the saved card, the post page shows them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost, TrackedLink
from tests.browser.conftest import DEFAULT_PASSWORD as PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]


def test_the_studio_toggle_tracks_the_links_of_the_saved_post(page, log_in, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    user = User.objects.create_user("lia@example.com", PASSWORD, first_name="Lia", email_verified=True)
    log_in(user.email, PASSWORD)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Our new menu: https://cafe.example/menu")
    page.get_by_label("LinkedIn").check()
    page.get_by_label("Track links").check()
    page.get_by_label("Campaign").fill("spring")
    page.get_by_test_id("write-own").click()
    page.get_by_test_id("preview-card").first.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()

    post = ContentPost.objects.get()
    link = TrackedLink.objects.get(post=post)
    assert "utm_source=linkedin" in link.destination and "utm_campaign=spring" in link.destination

    page.goto(f"/posts/{post.pk}/")
    panel = page.get_by_test_id("tracked-links-panel")
    expect(panel.get_by_label("Track links")).to_be_checked()
    expect(panel.get_by_test_id("tracked-links-list")).to_contain_text(f"/l/{link.code}")
    assert page_problems.collect(page) == []
