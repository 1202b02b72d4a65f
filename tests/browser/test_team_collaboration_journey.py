"""A team's whole review journey in real browsers, on Daphne so notifications arrive over the real websocket.

The owner invites an editor and a reviewer from the Team page; each answers the e-mailed link in their
own browser (the editor signs up, the reviewer signs in); the editor writes two posts in the studio and
submits one; the reviewer, dashboard open, is told live, comments mentioning the editor and approves;
the editor schedules it and beat's dispatcher publishes it to the sandbox; the reviewer shares the
other post with a client, who approves it through the magic link without an account.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from billing.models import Subscription
from content.models import ApprovalDecision, ContentPost, PostStatus
from scheduling.models import ScheduledPost
from scheduling.services import dispatch_due_posts
from social.models import SandboxPost, SocialAccount
from teams.models import Membership, Notification, Team
from teams.services import team_create
from tests.browser.threads import off_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_ai")]

PASSWORD = "correct-horse-battery"
INVITATION_LINK = re.compile(r"https?://\S+/invitations/[\w-]+/")


@pytest.fixture
def owner(transactional_db):
    user = User.objects.create_user(
        "ada@example.com", PASSWORD, first_name="Ada", last_name="Lovelace", email_verified=True
    )
    team = team_create(owner=user, name="Lovelace Studio")
    Subscription.objects.filter(team=team).update(tier="PRO")
    User.objects.filter(pk=user.pk).update(current_team=team)
    return user


@pytest.fixture
def reviewer(transactional_db):
    return User.objects.create_user(
        "linus@example.com", PASSWORD, first_name="Linus", last_name="Pauling", email_verified=True
    )


def sign_in(page, email):
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    with page.expect_navigation():
        page.click('form.cg-form button[type="submit"]')


def test_invite_write_review_live_publish_and_client_approval(asgi_live_server, asgi_browser, owner, reviewer):
    server = asgi_live_server

    # --- the owner turns approvals on, connects the sandbox and invites an editor and a reviewer
    ada = asgi_browser("owner")
    ada.page.goto("/accounts/login/")
    sign_in(ada.page, owner.email)
    ada.page.goto("/team/")
    expect(ada.page.get_by_role("heading", name="Lovelace Studio")).to_be_visible()
    team_settings = ada.page.get_by_test_id("settings-form")
    team_settings.get_by_label("Posts need approval before they are scheduled").check()
    with ada.page.expect_navigation():
        team_settings.get_by_role("button", name="Save settings").click()
    team = Team.objects.get(name="Lovelace Studio")
    assert team.requires_approval is True

    for email, role in (("grace@example.com", "editor"), ("linus@example.com", "reviewer")):
        invite = ada.page.get_by_test_id("invite-form")
        invite.get_by_label("Email address").fill(email)
        invite.get_by_label("Role").select_option(role)
        invite.get_by_role("button", name="Invite").click()
        expect(ada.page.get_by_test_id("invitations")).to_contain_text(f"Invitation sent to {email}")
        expect(ada.page.get_by_test_id("pending-invitations")).to_contain_text(email)

    ada.page.goto("/social/")
    ada.page.get_by_test_id("connect-sandbox").click()
    ada.page.get_by_test_id("sandbox-allow").click()
    expect(ada.page.get_by_test_id("account-sandbox")).to_contain_text("Healthy")
    account = SocialAccount.objects.get(team=team, platform="sandbox")

    # --- Grace has no account: she follows her e-mailed link, signs up and accepts as editor
    message = server.mail_to("grace@example.com")
    assert "Lovelace Studio" in message.subject
    grace = asgi_browser("editor")
    grace.page.goto(INVITATION_LINK.search(message.body).group(0))
    expect(grace.page.get_by_test_id("invitation")).to_contain_text("Join Lovelace Studio")
    expect(grace.page.get_by_test_id("invitation")).to_contain_text("as Editor")
    grace.page.get_by_role("link", name="Create an account").click()
    grace.page.fill('input[name="first_name"]', "Grace")
    grace.page.fill('input[name="last_name"]', "Hopper")
    grace.page.fill('input[name="email"]', "grace@example.com")
    grace.page.fill('input[name="password1"]', PASSWORD)
    grace.page.fill('input[name="password2"]', PASSWORD)
    with grace.page.expect_navigation():
        grace.page.click('form.cg-form button[type="submit"]')
    expect(grace.page).to_have_url(re.compile(r"/invitations/[\w-]+/$"))
    grace.page.get_by_role("button", name="Accept and join").click()
    expect(grace.page).to_have_url(re.compile(r"/team/$"))
    expect(grace.page.get_by_test_id("current-team")).to_contain_text("Lovelace Studio")
    expect(grace.page.get_by_test_id("member-grace@example.com").get_by_test_id("role")).to_have_text("Editor")
    editor = User.objects.get(email="grace@example.com")

    # --- Linus has an account: he signs in from his link and accepts as reviewer
    linus = asgi_browser("reviewer")
    linus.page.goto(INVITATION_LINK.search(server.mail_to("linus@example.com").body).group(0))
    expect(linus.page.get_by_test_id("invitation")).to_contain_text("as Reviewer")
    linus.page.get_by_role("link", name="Sign in to answer").click()
    sign_in(linus.page, reviewer.email)
    expect(linus.page).to_have_url(re.compile(r"/invitations/[\w-]+/$"))
    linus.page.get_by_role("button", name="Accept and join").click()
    expect(linus.page).to_have_url(re.compile(r"/team/$"))
    expect(linus.page.get_by_test_id("member-linus@example.com").get_by_test_id("role")).to_have_text("Reviewer")
    expect(linus.page.get_by_test_id("member-ada@example.com").get_by_test_id("role")).to_have_text("Owner")
    # his switcher lists both of his workspaces, the team being the current one
    linus.page.get_by_test_id("current-team").click()
    expect(linus.page.get_by_test_id("team-switcher")).to_contain_text("Lovelace Studio")
    personal = Team.objects.get(owner=reviewer, is_personal=True)
    expect(linus.page.get_by_test_id("team-switcher")).to_contain_text(personal.name)
    roles = dict(Membership.objects.filter(team=team).values_list("user__email", "role"))
    assert roles == {"ada@example.com": "owner", "grace@example.com": "editor", "linus@example.com": "reviewer"}

    # Linus keeps his dashboard open; its websocket is connected to Daphne
    unread = Notification.objects.filter(user=reviewer, read_at__isnull=True).count()  # his invitation
    linus.page.goto("/dashboard/")
    expect(linus.page.locator("body")).to_have_attribute("data-socket-state", "open")
    expect(linus.page.locator(".toast").filter(has_text="Approval requested")).to_have_count(0)

    # --- Grace writes two posts in the studio
    grace.page.goto("/generate/")
    grace.page.get_by_label("Topic").fill("Our autumn coffee blend")
    grace.page.get_by_label("X (Twitter)").check()
    grace.page.get_by_test_id("generate").click()
    cards = grace.page.get_by_test_id("preview-card")
    expect(cards).to_have_count(2)
    x_card = cards.filter(has=grace.page.get_by_role("heading", name="X (Twitter)"))
    other_card = cards.filter(has_not=grace.page.get_by_role("heading", name="X (Twitter)"))
    x_card.get_by_test_id("preview-text").fill("Our autumn blend is here. Cinnamon, plum, dark chocolate.")
    x_card.get_by_test_id("save-draft").click()
    expect(grace.page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()
    expect(x_card.get_by_test_id("save-draft")).to_contain_text("Saved")
    other_card.get_by_test_id("preview-text").fill("Meet the new autumn menu, on the counter from Monday.")
    other_card.get_by_test_id("save-draft").click()
    expect(other_card.get_by_test_id("save-draft")).to_contain_text("Saved")
    tweet = ContentPost.objects.get(team=team, platform="twitter")
    menu = ContentPost.objects.get(team=team, content__startswith="Meet the new autumn menu")
    assert tweet.author == editor and tweet.status == PostStatus.DRAFT

    # --- and submits the first for review
    grace.page.goto(f"/posts/{tweet.pk}/")
    expect(grace.page.locator("body")).to_have_attribute("data-socket-state", "open")
    with grace.page.expect_navigation():
        grace.page.get_by_role("button", name="Submit for approval").click()
    expect(grace.page.get_by_test_id("post-status")).to_have_text("In review")

    # --- Linus's open dashboard hears it live: a toast and the unread badge, no reload
    expect(linus.page.locator(".toast").filter(has_text="Approval requested")).to_be_visible()
    expect(linus.page.locator("#notification-badge")).to_have_text(str(unread + 1))
    assert Notification.objects.filter(user=reviewer, event=Notification.Event.APPROVAL_REQUESTED).count() == 1

    # --- he opens the post, comments mentioning Grace, and approves
    linus.page.goto(f"/posts/{tweet.pk}/")
    linus.page.get_by_label("Comment", exact=True).fill("@grace love the plum note. Approving.")
    linus.page.get_by_role("button", name="Comment", exact=True).click()
    expect(linus.page.get_by_test_id("comment").filter(has_text="love the plum note")).to_be_visible()
    with linus.page.expect_navigation():
        linus.page.get_by_role("button", name="Approve", exact=True).click()
    expect(linus.page.get_by_test_id("post-status")).to_have_text("Approved")

    # Grace, still on the post page, hears both live: the mention and the approval
    expect(grace.page.locator(".toast").filter(has_text="mentioned you")).to_be_visible()
    expect(grace.page.locator(".toast").filter(has_text="Approved:")).to_be_visible()
    events = list(Notification.objects.filter(user=editor).values_list("event", flat=True))
    assert events.count(Notification.Event.MENTION) == 1 and events.count(Notification.Event.APPROVAL_GIVEN) == 1
    expect(grace.page.locator("#notification-badge")).to_have_text(str(len(events)))

    # --- Grace schedules it two minutes ahead from the calendar
    grace.page.goto("/calendar/")
    form = grace.page.get_by_test_id("schedule-form")
    form.get_by_label("Search unscheduled posts").fill(tweet.content[:40])
    expect(form.locator('input[name="post"]')).to_have_count(1)  # the search answered: only the tweet
    form.locator(f"#post-choice-{tweet.pk}").check()
    when = (timezone.now() + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    grace.page.get_by_label("Date and time").fill(when)
    with grace.page.expect_navigation():
        grace.page.get_by_role("button", name="Schedule", exact=True).click()
    expect(grace.page.locator(".toast").filter(has_text="Scheduled for")).to_be_visible()
    row = ScheduledPost.objects.get(post=tweet)
    assert row.social_account == account
    tweet.refresh_from_db()
    assert tweet.status == PostStatus.SCHEDULED

    # --- at the time, beat's dispatcher publishes it to the sandbox, once
    with time_machine.travel(row.scheduled_at + timedelta(seconds=5), tick=True):
        assert off_thread(dispatch_due_posts) == [str(row.pk)]
    assert SandboxPost.objects.filter(account_id=account.account_id).count() == 1
    grace.page.goto(f"/posts/{tweet.pk}/")
    expect(grace.page.get_by_test_id("post-status")).to_have_text("Published")
    expect(grace.page.get_by_test_id("history")).to_contain_text("approved")

    # --- the second post goes to a client: Grace submits it, Linus shares it through a magic link
    grace.page.goto(f"/posts/{menu.pk}/")
    with grace.page.expect_navigation():
        grace.page.get_by_role("button", name="Submit for approval").click()
    expect(grace.page.get_by_test_id("post-status")).to_have_text("In review")
    linus.page.goto(f"/posts/{menu.pk}/")
    linus.page.get_by_label("Client name").fill("Carla")
    linus.page.get_by_label("Client email").fill("carla@client.test")
    with linus.page.expect_navigation():
        linus.page.get_by_role("button", name="Create client link").click()
    url = linus.page.get_by_test_id("client-link-url").input_value()
    assert url.startswith(server.url) and "/review/" in url

    # Carla, with no account, opens it, sees the post and approves
    carla = asgi_browser("client")
    carla.page.goto(url)
    expect(carla.page.get_by_test_id("client-preview")).to_contain_text("Meet the new autumn menu")
    expect(carla.page.get_by_label("Your email")).to_have_value("carla@client.test")
    carla.page.get_by_label("Comment").fill("Looks great")
    carla.page.get_by_role("button", name="Approve").click()
    expect(carla.page.get_by_test_id("client-decided")).to_contain_text("approval was recorded")
    menu.refresh_from_db()
    assert menu.status == PostStatus.APPROVED
    decision = ApprovalDecision.objects.get(post=menu)
    assert (decision.client_name, decision.client_email, decision.comment, decision.reviewer) == (
        "Carla",
        "carla@client.test",
        "Looks great",
        None,
    )
    carla.page.wait_for_load_state("networkidle")
    assert carla.collect_problems() == []
    # a tampered link gets a clear error page (a 404, which the console reports)
    carla.page.goto(url.rstrip("/") + "x/")
    expect(carla.page.get_by_test_id("client-link-error")).to_contain_text("not valid")

    # the team sees it approved, and by whom
    linus.page.reload()
    expect(linus.page.get_by_test_id("post-status")).to_have_text("Approved")
    expect(linus.page.get_by_test_id("decisions")).to_contain_text("carla@client.test")

    for person in (ada, grace, linus):
        person.page.wait_for_load_state("networkidle")
        assert person.collect_problems() == [], person.name
