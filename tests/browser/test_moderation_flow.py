"""Flag → review → approve in a real browser: the author's text waits for a moderator, who claims
and approves it on /moderation/; the author then sees it approved and may publish it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from moderation.models import CaseStatus, ModerationCase
from moderation.services import ensure_publishable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
TEXT = "Damn, our spring launch went better than we hoped!"


@pytest.fixture
def author(db, settings):
    settings.MODERATION_OPENAI_API_KEY = ""  # no network: local checks only
    return User.objects.create_user("author@example.com", PASSWORD, first_name="Ada")


@pytest.fixture
def moderator(db):
    return User.objects.create_user(
        "moderator@example.com", PASSWORD, first_name="Mo", platform_role=User.PlatformRole.MODERATOR
    )


def test_flagged_text_is_claimed_and_approved_then_publishable(page, log_in, author, moderator, page_problems):
    # given the author checks a text and sends it for review
    log_in(author.email)
    page.goto("/moderation/")
    page.get_by_label("Text to check").fill(TEXT)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("moderation-decision")).to_have_text("Needs review")
    expect(page.locator("#check-result")).to_contain_text("mild profanity")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#check-result")).to_contain_text("Sent to the moderators.")
    case = ModerationCase.objects.get()
    assert case.status == CaseStatus.OPEN

    # when a moderator claims and approves it in the queue
    page.context.clear_cookies()
    log_in(moderator.email)
    page.goto("/moderation/")
    item = page.locator(f'li[data-case-id="{case.pk}"]')
    expect(item).to_contain_text(TEXT)
    expect(item).to_contain_text("old")
    item.get_by_role("button", name="Claim").click()
    item = page.locator(f'li[data-case-id="{case.pk}"]')
    expect(item.get_by_test_id("case-status")).to_have_text("Claimed")
    item.get_by_label("Note to the author").fill("Fine in context.")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator(f'li[data-case-id="{case.pk}"]')).to_have_count(0)  # the pending queue is empty now

    # then the author sees it approved
    page.context.clear_cookies()
    log_in(author.email)
    page.goto("/moderation/")
    mine = page.locator(f'li[data-case-id="{case.pk}"]')
    expect(mine.get_by_test_id("case-status")).to_have_text("Approved")
    mine.get_by_role("link").first.click()
    expect(page.get_by_test_id("case-note")).to_have_text("Fine in context.")
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []

    # and the same text may now be published
    assert ensure_publishable(team=author.current_team, text=TEXT, platform="linkedin").decision == "flag"
