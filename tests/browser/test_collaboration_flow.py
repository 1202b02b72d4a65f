"""A team reviews a post in the browser: the editor writes and submits, the reviewer is told live,
comments with a mention and approves, the post is scheduled and goes out to the sandbox; a client
approves another post through a magic link without an account."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from content.models import ContentPost, PostStatus
from content.services import post_create
from content.workflow import post_submit
from scheduling.models import ScheduledPost
from scheduling.services import dispatch_due_posts
from social.models import SandboxPost
from social.tests.factories import SocialAccountFactory
from teams.models import ApprovalDecision, Notification
from teams.tasks import notification_payload
from teams.tests.factories import crew_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEFAULT_PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture(autouse=True)
def offline_only(settings):
    settings.AI_PROVIDER_PRIORITY = ["offline"]
    settings.OPENAI_API_KEY = ""
    settings.ANTHROPIC_API_KEY = ""
    settings.AI_COMPAT_BASE_URL = ""


def off_thread(fn):
    """Run `fn` in a plain thread (as beat would): Playwright's event loop owns this one."""
    from django.db import connection

    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click('form.cg-form button[type="submit"]')


@pytest.fixture
def second_page(browser, live_server, notification_socket):
    """Another person's browser, with its own stand-in notification socket."""
    socket = type(notification_socket)()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    other = context.new_page()
    other.route_web_socket(re.compile(r".*/ws/notifications/$"), socket.accept)
    yield other, socket
    context.close()


def test_editor_submits_reviewer_mentions_and_approves_then_it_publishes(page, second_page, page_problems):
    # given a team that requires approval, with an editor, a reviewer and a sandbox account
    crew = crew_create(name="Brew Co")
    crew.team.requires_approval = True
    crew.team.save()
    for user in crew.users.values():
        user.current_team = crew.team
        user.save(update_fields=["current_team"])
    account = SocialAccountFactory(team=crew.team, platform="sandbox", account_name="Brew sandbox")
    editor, reviewer = crew.users["editor"], crew.users["reviewer"]
    reviewer_page, reviewer_socket = second_page
    _log_in(reviewer_page, reviewer.email)
    reviewer_page.goto("/dashboard/")

    # when the editor writes a post in the studio and saves it
    _log_in(page, editor.email)
    page.goto("/generate/")
    page.get_by_label("Topic").fill("Our autumn coffee blend")
    page.get_by_label("X (Twitter)").check()
    page.get_by_test_id("generate").click()
    card = page.get_by_test_id("preview-card").filter(has=page.get_by_role("heading", name="X (Twitter)"))
    card.get_by_test_id("preview-text").fill("Our autumn blend is here. Cinnamon, plum, dark chocolate.")
    card.get_by_test_id("save-draft").click()
    expect(page.locator(".toast").filter(has_text="Draft saved")).to_be_visible()
    post = ContentPost.objects.get()

    # and submits it from the post page
    page.goto(f"/posts/{post.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("post-status")).to_have_text("In review")

    # then the reviewer's open dashboard hears it live (the socket carries what the worker would push)
    request = Notification.objects.get(user=reviewer, event=Notification.Event.APPROVAL_REQUESTED)
    reviewer_socket.push(notification_payload(request), unread=1)
    toast = reviewer_page.locator(".toast").filter(has_text="Approval requested")
    expect(toast).to_be_visible()
    expect(reviewer_page.locator("#notification-badge")).to_have_text("1")

    # the reviewer opens the post, comments mentioning the editor, and approves
    reviewer_page.goto(f"/posts/{post.pk}/")
    handle = editor.email.split("@")[0]
    reviewer_page.get_by_label("Comment", exact=True).fill(f"@{handle} love the plum note. Approving.")
    reviewer_page.get_by_role("button", name="Comment", exact=True).click()
    expect(reviewer_page.get_by_test_id("comment").filter(has_text="love the plum note")).to_be_visible()
    assert Notification.objects.filter(user=editor, event=Notification.Event.MENTION).count() == 1
    with reviewer_page.expect_navigation():
        reviewer_page.get_by_role("button", name="Approve", exact=True).click()
    expect(reviewer_page.get_by_test_id("post-status")).to_have_text("Approved")
    assert Notification.objects.filter(user=editor, event=Notification.Event.APPROVAL_GIVEN).count() == 1

    # the editor schedules it two minutes ahead from the calendar
    page.goto("/calendar/")
    page.get_by_test_id("schedule-form").get_by_label("Post").select_option(str(post.pk))
    when = (timezone.now() + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time").fill(when)
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule", exact=True).click()
    row = ScheduledPost.objects.get(post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED

    # and at the time beat's dispatcher publishes it to the sandbox, once
    with time_machine.travel(row.scheduled_at + timedelta(seconds=5), tick=True):
        assert off_thread(dispatch_due_posts) == [str(row.pk)]
    assert SandboxPost.objects.filter(account_id=account.account_id).count() == 1
    page.goto(f"/posts/{post.pk}/")
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    expect(page.get_by_test_id("history")).to_contain_text("approved")
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []


def test_a_client_approves_through_a_magic_link(page, second_page, page_problems):
    crew = crew_create(name="Agency")
    owner = crew.users["owner"]
    owner.current_team = crew.team
    owner.save(update_fields=["current_team"])

    def write_and_submit():  # off this thread: submitting pushes notifications through Channels
        post = post_create(
            ctx=crew.ctx("editor"), title="Client launch", content="Meet the new menu.", platform="linkedin"
        )
        return post_submit(ctx=crew.ctx("editor"), post=post)

    post = off_thread(write_and_submit)

    # the owner shares it from the post page
    _log_in(page, owner.email)
    page.goto(f"/posts/{post.pk}/")
    page.get_by_label("Client name").fill("Carla")
    page.get_by_label("Client email").fill("carla@client.test")
    with page.expect_navigation():
        page.get_by_role("button", name="Create client link").click()
    url = page.get_by_test_id("client-link-url").input_value()
    assert "/review/" in url

    # the client, with no account, opens it, sees the post and approves
    client_page, _ = second_page
    client_page.goto(url)
    expect(client_page.get_by_test_id("client-preview")).to_contain_text("Meet the new menu.")
    expect(client_page.get_by_label("Your email")).to_have_value("carla@client.test")
    client_page.get_by_label("Comment").fill("Looks great")
    client_page.get_by_role("button", name="Approve").click()
    expect(client_page.get_by_test_id("client-decided")).to_contain_text("approval was recorded")

    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    decision = ApprovalDecision.objects.get(post=post)
    assert (decision.client_name, decision.client_email, decision.comment) == (
        "Carla",
        "carla@client.test",
        "Looks great",
    )

    # the link is spent; a tampered one gets a clear error page
    client_page.goto(url.rstrip("/") + "x/")
    expect(client_page.get_by_test_id("client-link-error")).to_contain_text("not valid")
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Approved")
    expect(page.get_by_test_id("decisions")).to_contain_text("carla@client.test")
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
