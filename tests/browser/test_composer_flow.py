"""The composer end to end: Create post → drafts for X and LinkedIn → live checks and preview while editing →
a blocked text is explained before saving → Schedule → the week calendar at the right local hour → it
publishes, and the sandbox receives exactly the text the preview showed (hashtags once)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from scheduling.models import ScheduledPost
from scheduling.services import dispatch_due_posts
from social.models import SandboxPost
from social.tests.factories import SocialAccountFactory
from tests.browser.conftest import RESULTS_DIR
from tests.browser.threads import off_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"
ZONE = "America/New_York"
GOOD = "Fresh sourdough from 8am in Alfama, see https://bakery.example #Lisbon #Sourdough"
BLOCKED = "If you dislike our bread, kill yourself."
COMMENT = "Today's menu: https://bakery.example/menu"


def _shot(page, name: str) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"composer-{name}.png"), full_page=True)


def test_create_post_to_scheduled_to_published_with_the_preview_text(page, log_in, page_problems):
    page.set_default_navigation_timeout(30_000)  # the first page of a session is slow on a loaded machine
    # given a user whose workspace runs on New York time, with a connected sandbox account
    user = User.objects.create_user("ines@example.com", PASSWORD, first_name="Inês", email_verified=True)
    team = user.current_team
    team.timezone = ZONE
    team.save(update_fields=["timezone"])
    account = SocialAccountFactory(team=team, platform="sandbox", account_name="Bakery sandbox")
    log_in(user.email, PASSWORD)

    # Create post → topic → drafts for X and LinkedIn
    page.get_by_role("link", name="Create post").first.click()
    expect(page).to_have_url(re.compile(r"/generate/$"))
    page.get_by_label("Topic").fill("Sourdough mornings in Lisbon")
    page.get_by_label("X (Twitter)").check()
    page.get_by_label("LinkedIn").check()
    page.get_by_test_id("generate").click()
    cards = page.get_by_test_id("preview-card")
    expect(cards).to_have_count(2)
    x_card = cards.filter(has=page.get_by_role("heading", name="X (Twitter)"))
    text = x_card.get_by_test_id("preview-text")
    expect(text).to_have_value(re.compile("Sourdough", re.I))
    expect(x_card.get_by_test_id("platform-preview")).to_contain_text("Sourdough")

    # over X's limit: Save is disabled and says why
    text.fill("crumb " * 60)
    expect(x_card.get_by_test_id("save-reason")).to_contain_text("of 280 characters")
    expect(x_card.get_by_test_id("save-draft")).to_be_disabled()
    expect(x_card.get_by_test_id("composer-issues")).to_contain_text("Remove 79 characters.")

    # below its limit: the counter, chips, hints and the preview follow without a reload
    text.fill(GOOD)
    expect(x_card.get_by_test_id("char-counter")).to_have_text(re.compile(r"^\d{2} / 280$"))
    expect(x_card.get_by_test_id("hashtag-chips")).to_have_text("#Lisbon#Sourdough")
    expect(x_card.get_by_test_id("preview-body")).to_have_text(GOOD)
    expect(x_card.locator(".pv-tag")).to_have_count(2)
    expect(x_card.get_by_test_id("save-draft")).to_be_enabled()

    # a text moderation would block: the reason shows before anything is saved
    text.fill(BLOCKED)
    issues = x_card.get_by_test_id("composer-issues")
    expect(issues.locator('[data-code="moderation_block"]')).to_be_visible()
    expect(x_card.get_by_test_id("save-draft")).to_be_disabled()
    expect(x_card.get_by_test_id("save-reason")).not_to_be_empty()
    _shot(page, "blocked")
    assert not ContentPost.objects.exists()

    # the good text, to the sandbox account, tomorrow 09:00 New York time: Schedule
    text.fill(GOOD)
    expect(x_card.get_by_test_id("save-draft")).to_be_enabled()
    x_card.get_by_test_id("first-comment").fill(COMMENT)
    expect(x_card.get_by_test_id("preview-first-comment")).to_contain_text(COMMENT)
    x_card.get_by_label("Bakery sandbox · Sandbox").check()
    tomorrow = (timezone.now().astimezone(ZoneInfo(ZONE)) + timedelta(days=1)).date()
    x_card.get_by_test_id("composer-when").fill(f"{tomorrow.isoformat()}T09:00")
    expect(x_card.get_by_test_id("composer-schedule")).to_be_enabled()
    preview_text = x_card.get_by_test_id("preview-body").inner_text()
    _shot(page, "ready")
    with page.expect_navigation():
        x_card.get_by_test_id("composer-schedule").click()
    expect(page.locator(".toast").filter(has_text="Scheduled for")).to_contain_text(f"{tomorrow.isoformat()} 09:00")
    row = ScheduledPost.objects.get()
    assert row.social_account == account
    assert row.scheduled_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, tzinfo=ZoneInfo(ZONE))

    # the week view shows it at 09:00 in the workspace's zone
    page.goto(f"/calendar/?view=week&date={tomorrow.isoformat()}")
    chip = page.get_by_test_id(f"slot-{tomorrow.isoformat()}-09").get_by_test_id("chip")
    expect(chip).to_contain_text("Fresh sourdough")
    expect(chip).to_contain_text("09:00")
    _shot(page, "calendar")

    # at its time the dispatcher publishes it: the sandbox holds the preview's text, hashtags once
    with time_machine.travel(row.scheduled_at + timedelta(seconds=5), tick=True):
        assert off_thread(dispatch_due_posts) == [str(row.pk)]
    delivered = SandboxPost.objects.get(account_id=account.account_id)
    assert delivered.text == preview_text == GOOD
    assert delivered.first_comment == COMMENT
    assert delivered.text.count("#Lisbon") == 1 and delivered.text.count("#Sourdough") == 1
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
