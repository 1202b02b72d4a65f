"""Submit for approval from the composer → the reviewer's Approvals page lists it → approve inline →
the author schedules it in one click from the post page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost, PostStatus
from scheduling.models import ScheduledPost
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from tests.browser.conftest import RESULTS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"


def test_submit_approve_from_the_queue_then_schedule_in_one_click(browser, live_server, page, log_in, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    # given a workspace that requires approval: an editor, a reviewer and a sandbox account
    owner = User.objects.create_user("olga@example.com", PASSWORD, first_name="Olga", email_verified=True)
    team = owner.current_team
    team.requires_approval = True
    team.save(update_fields=["requires_approval"])
    reviewer = User.objects.create_user("rui@example.com", PASSWORD, first_name="Rui", email_verified=True)
    Membership.objects.create(team=team, user=reviewer, role=Membership.Role.REVIEWER)
    reviewer.current_team = team
    reviewer.save(update_fields=["current_team"])
    SocialAccountFactory(team=team, platform="sandbox", account_name="Team sandbox")

    # the author drafts a post in the composer and submits it for approval
    log_in(owner.email, PASSWORD)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Our new rye loaf")
    page.get_by_test_id("generate").click()
    card = page.get_by_test_id("preview-card").first
    expect(card.get_by_test_id("preview-text")).to_have_value(re.compile("rye", re.I))
    expect(card.get_by_test_id("composer-submit")).to_be_enabled()
    with page.expect_navigation():
        card.get_by_test_id("composer-submit").click()
    expect(page.get_by_test_id("post-status")).to_have_text("In review")
    post = ContentPost.objects.get()
    assert post.status == PostStatus.IN_REVIEW
    expect(page.get_by_test_id("publish-now-post")).to_be_disabled()

    # the reviewer's Approvals (from the sidebar) lists it, and they approve inline
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
    other = context.new_page()
    other.goto("/accounts/login/")
    other.fill('input[name="login"]', reviewer.email)
    other.fill('input[name="password"]', PASSWORD)
    with other.expect_navigation():
        other.click('form.cg-form button[type="submit"]')
    other.get_by_test_id("nav-approvals").click()
    item = other.get_by_test_id("approval-item").filter(has_text="rye")
    expect(item).to_have_count(1)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    other.screenshot(path=str(RESULTS_DIR / "approvals-queue.png"), full_page=True)
    with other.expect_navigation():
        item.get_by_test_id("approve").click()
    expect(other.get_by_test_id("approval-item")).to_have_count(0)
    context.close()
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED

    # the author's post page: approved, and Schedule is one click (time and account are filled in)
    page.reload()
    expect(page.get_by_test_id("approved-note")).to_be_visible()
    assert ".." not in page.get_by_test_id("approved-note").inner_text()
    page.screenshot(path=str(RESULTS_DIR / "post-page-approved.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("schedule-post").click()
    expect(page.locator(".toast").filter(has_text="Scheduled for")).to_be_visible()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    assert ScheduledPost.objects.filter(post=post).count() == 1
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
