"""An operator's path in a real browser: sign in to the admin as staff, see the open cases on the
index, follow the Moderation link to the review queue and decide a case there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User
from moderation.models import CaseStatus
from moderation.tests.factories import ModerationCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_staff_follow_the_admin_moderation_link_and_decide_a_case(page, page_problems, settings):
    settings.MODERATION_OPENAI_API_KEY = ""
    staff = User.objects.create_superuser("ops@example.com", PASSWORD)
    flagged = ModerationCaseFactory(text="Our detox tea cures everything, guaranteed")
    other = ModerationCaseFactory(text="A second flagged text nobody decides yet")

    # given staff signed in to the admin
    page.goto("/admin/login/")
    page.fill('input[name="username"]', staff.email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('input[type="submit"]')
    expect(page.locator("#open-case-count")).to_have_text("2 open cases")
    expect(page.locator("caption").filter(has_text="Users & security")).to_have_count(1)

    # when they follow the Moderation link to the queue and reject one case with a note
    page.get_by_role("link", name="Review queue").click()
    expect(page).to_have_url(f"{page.url.split('/moderation/')[0]}/moderation/")
    item = page.locator(f'li[data-case-id="{flagged.pk}"]')
    expect(item.get_by_test_id("case-priority")).to_have_text("Normal priority")
    item.get_by_label("Include in the bulk decision").check()
    page.get_by_label("Decide the ticked cases").select_option("reject")
    page.get_by_label("Note to the authors").fill("Health claims need a source.")
    page.get_by_test_id("bulk-decide").click()

    # then the case is decided and leaves the pending queue; the other one waits
    expect(page.get_by_text("1 case decided.")).to_be_visible()
    expect(page.locator(f'li[data-case-id="{flagged.pk}"]')).to_have_count(0)
    expect(page.locator(f'li[data-case-id="{other.pk}"]')).to_have_count(1)
    flagged.refresh_from_db()
    assert (flagged.status, flagged.note, flagged.resolved_by_id) == (
        CaseStatus.REJECTED,
        "Health claims need a source.",
        staff.pk,
    )
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
