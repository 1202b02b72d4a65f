"""Team management in a real browser: the owner invites an editor by email; the editor follows the
emailed link, signs in, accepts and lands in the team."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from billing.models import Subscription
from teams.models import Membership, Team
from teams.services import team_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def owner(db):
    user = User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada", last_name="Lovelace")
    team = team_create(owner=user, name="Lovelace Studio")
    Subscription.objects.filter(team=team).update(tier="PRO")
    User.objects.filter(pk=user.pk).update(current_team=team)
    return user


@pytest.fixture
def editor(db):
    return User.objects.create_user("grace@example.com", PASSWORD, first_name="Grace", last_name="Hopper")


def test_owner_invites_an_editor_who_accepts_from_the_email(page, log_in, owner, editor, page_problems):
    # A shared CI box can take more than the default 10 s for a first page; this flow has several.
    page.set_default_timeout(45_000)
    # the owner invites Grace as an editor from the team page
    log_in(owner.email)
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Lovelace Studio")).to_be_visible()
    invite = page.get_by_test_id("invite-form")
    invite.get_by_label("Email address").fill("grace@example.com")
    invite.get_by_label("Role").select_option("editor")
    invite.get_by_role("button", name="Invite").click()
    expect(page.get_by_test_id("pending-invitations")).to_contain_text("grace@example.com")
    expect(page.get_by_test_id("invitations")).to_contain_text("Invitation sent to grace@example.com")
    assert page_problems.collect(page) == []

    # the email carries the link
    message = next(m for m in mail.outbox if "grace@example.com" in m.to)
    assert "Lovelace Studio" in message.subject
    link = re.search(r"https?://\S+/invitations/[\w-]+/", message.body).group(0)

    # Grace, signed out, follows it, signs in and lands back on the invitation
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_test_id("invitation")).to_contain_text("Join Lovelace Studio")
    expect(page.get_by_test_id("invitation")).to_contain_text("as Editor")
    page.get_by_role("link", name="Sign in to answer").click()
    page.fill('input[name="login"]', "grace@example.com")
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('form.cg-form button[type="submit"]')
    expect(page).to_have_url(re.compile(r"/invitations/[\w-]+/$"))

    # she accepts and sees the team, now her current one
    page.get_by_role("button", name="Accept and join").click()
    expect(page).to_have_url(re.compile(r"/team/$"))
    expect(page.get_by_role("heading", name="Lovelace Studio")).to_be_visible()
    expect(page.get_by_test_id("current-team")).to_contain_text("Lovelace Studio")
    expect(page.get_by_test_id("member-grace@example.com").get_by_test_id("role")).to_have_text("Editor")
    expect(page.get_by_test_id("member-ada@example.com").get_by_test_id("role")).to_have_text("Owner")
    assert Membership.objects.get(user=editor, team__name="Lovelace Studio").role == "editor"

    # the switcher lists both of her workspaces
    page.get_by_test_id("current-team").click()
    expect(page.get_by_test_id("team-switcher")).to_contain_text("Lovelace Studio")
    personal = Team.objects.get(owner=editor, is_personal=True)
    expect(page.get_by_test_id("team-switcher")).to_contain_text(personal.name)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
