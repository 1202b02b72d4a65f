"""Connect the sandbox through its consent page, publish a post, see the result and the published badge."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from content.models import ContentPost
from social.models import SandboxPost

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def grace(db):
    return User.objects.create_user("grace@example.com", PASSWORD, first_name="Grace", email_verified=True)


def test_connect_sandbox_then_publish_now(page, log_in, grace, page_problems):
    post = ContentPost.objects.create(team=grace.current_team, author=grace, title="Launch", content="We launched!")
    log_in(grace.email, PASSWORD)

    # connect: the Accounts page, the sandbox's consent page, back with a healthy account
    page.goto("/social/")
    page.get_by_test_id("connect-sandbox").click()
    expect(page).to_have_url(re.compile(r"/social/sandbox/authorize/"))
    page.get_by_test_id("sandbox-allow").click()
    expect(page).to_have_url(re.compile(r"/social/$"))
    expect(page.get_by_test_id("account-sandbox")).to_contain_text("Healthy")
    expect(page.get_by_test_id("budget")).to_contain_text("posts left")

    # publish: the checks say ready, Publish now swaps in the result
    page.goto(f"/social/publish/{post.pk}/")
    expect(page.get_by_test_id("checks")).to_contain_text("Ready")
    page.get_by_test_id("publish-now").click()
    expect(page.get_by_test_id("result-status")).to_have_text("Published")
    assert SandboxPost.objects.count() == 1

    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    assert page_problems.collect(page) == []
