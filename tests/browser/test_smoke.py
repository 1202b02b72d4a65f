"""The product in a real browser: log in, land on the dashboard, no console errors or CSP violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from teams.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def ada(db):
    return User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada")


def test_log_in_and_land_on_the_dashboard(page, log_in, ada, page_problems):
    log_in(ada.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    expect(page.get_by_test_id("current-team")).to_contain_text(ada.current_team.name)
    expect(page.locator("#main")).to_contain_text(ada.current_team.name)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []


def test_landing_and_login_pages_load_cleanly(page, live_server, page_problems):
    page.goto("/")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    expect(page.get_by_role("link", name="Sign up").first).to_be_visible()

    page.goto("/accounts/login/")
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []


def test_live_notification_updates_the_badge_and_shows_a_toast(page, log_in, ada, notification_socket, page_problems):
    log_in(ada.email, PASSWORD)
    badge = page.locator("#notification-badge")
    expect(badge).to_be_hidden()
    page.wait_for_function("document.body.dataset.socketState === 'open'")

    notification_socket.push(
        {
            "id": "n1",
            "kind": "success",
            "title": "Post published",
            "body": "Your LinkedIn post is live.",
            "url": "/posts/",
            "createdAt": "2025-01-01T09:00:00Z",
        },
        unread=3,
    )

    expect(badge).to_have_text("3")
    toast = page.locator("[data-cg-toast]")
    expect(toast).to_contain_text("Post published")
    expect(toast).to_contain_text("Your LinkedIn post is live.")
    assert page_problems.collect(page) == []


def test_bell_lists_notifications_and_marks_them_read(page, log_in, ada, page_problems):
    Notification.objects.create(user=ada, title="Review requested", body="Grace asked for your review.")
    Notification.objects.create(user=ada, title="Post failed", kind="error")

    log_in(ada.email, PASSWORD)
    expect(page.locator("#notification-badge")).to_have_text("2")

    page.locator("#notification-bell").click()
    panel = page.locator("#notification-panel")
    expect(panel).to_contain_text("Review requested")
    expect(panel).to_contain_text("Post failed")

    panel.get_by_test_id("mark-all-read").click()
    expect(panel).not_to_contain_text("Mark all read")
    expect(page.locator("#notification-badge")).to_be_hidden()
    assert Notification.objects.filter(user=ada, read_at__isnull=True).count() == 0
    assert page_problems.collect(page) == []


def test_phone_width_collapses_the_navigation(page, log_in, ada, page_problems):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(ada.email, PASSWORD)

    posts_link = page.locator("#app-sidebar").get_by_role("link", name="Posts")
    expect(posts_link).to_be_hidden()
    page.get_by_role("button", name="Open navigation").click()
    expect(posts_link).to_be_visible()
    posts_link.click()

    expect(page).to_have_url(re.compile(r"/posts/$"))
    expect(page.get_by_test_id("posts-empty")).to_contain_text("No posts yet")
    assert page_problems.collect(page) == []


def test_log_out_from_the_user_menu(page, log_in, ada):
    log_in(ada.email, PASSWORD)

    page.get_by_role("button", name=re.compile("Account menu")).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()

    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
