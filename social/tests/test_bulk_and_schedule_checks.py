"""The posts library's bulk action, and pre-publish checks that refuse a schedule up front (not at its time)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost
from social.models import PublishResult, SandboxPost
from social.tests.factories import SocialAccountFactory
from teams.models import Membership

pytestmark = pytest.mark.django_db

TOO_LONG = " ".join(f"Point {i} of our very detailed launch notes." for i in range(150))  # the sandbox allows 5000


@pytest.fixture
def browser(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def accounts(team):
    return SocialAccountFactory.create_batch(2, team=team)


def test_posts_library_offers_the_bulk_action_to_publishers_only(browser, user, team):
    post = ContentPostFactory(author=user, content="Spring launch")

    html = browser.get("/posts/").content.decode()
    assert 'data-testid="bulk-actions"' in html and 'action="/social/bulk/"' in html
    assert f'name="post_ids" value="{post.pk}" form="bulk-form"' in html

    Membership.objects.filter(team=team, user=user).update(role=Membership.Role.VIEWER)
    assert 'data-testid="bulk-actions"' not in browser.get("/posts/").content.decode()


def test_bulk_page_lists_the_selection_and_the_accounts(browser, user, accounts):
    posts = ContentPostFactory.create_batch(2, author=user, hashtags=[])

    response = browser.get("/social/bulk/", {"post_ids": [str(p.pk) for p in posts]})

    html = response.content.decode()
    assert response.status_code == 200
    assert all(f'name="post_ids" value="{p.pk}"' in html for p in posts)
    assert all(f'value="{a.pk}"' in html for a in accounts)


def test_bulk_publish_now_sends_every_post_to_every_ticked_account(browser, user, accounts):
    posts = ContentPostFactory.create_batch(2, author=user, hashtags=[])

    response = browser.post(
        "/social/bulk/",
        {"post_ids": [str(p.pk) for p in posts], "account_ids": [str(a.pk) for a in accounts], "mode": "now"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="bulk-result"') == 4 and "Failed" not in html
    assert SandboxPost.objects.count() == 4
    assert PublishResult.objects.filter(status="SUCCESS").count() == 4


def test_bulk_schedule_stores_one_schedule_per_post_and_account(browser, user, accounts):
    posts = ContentPostFactory.create_batch(2, author=user, hashtags=[])

    response = browser.post(
        "/social/bulk/",
        {
            "post_ids": [str(p.pk) for p in posts],
            "account_ids": [str(accounts[0].pk)],
            "mode": "schedule",
            "publish_at": "2031-03-01T09:30",
            "timezone": "Europe/Madrid",
        },
    )

    assert response.status_code == 200
    assert 'data-testid="bulk-scheduled"' in response.content.decode()
    assert ScheduledPost.objects.filter(post__in=posts, status="PENDING").count() == 2
    assert not SandboxPost.objects.exists()


def test_bulk_without_an_account_says_so(browser, user, accounts):
    post = ContentPostFactory(author=user, hashtags=[])

    response = browser.post("/social/bulk/", {"post_ids": [str(post.pk)], "mode": "now"})

    assert response.status_code == 400
    assert "Tick at least one account." in response.content.decode()


def test_bulk_hides_other_teams_and_needs_the_publish_role(browser, user, team, accounts):
    stranger = UserFactory()
    foreign_post = ContentPostFactory(author=stranger)
    foreign_account = SocialAccountFactory(team=stranger.current_team)
    mine = ContentPostFactory(author=user, hashtags=[])

    assert browser.get("/social/bulk/", {"post_ids": [str(foreign_post.pk)]}).status_code == 404
    assert browser.get("/social/bulk/").status_code == 404  # nothing selected
    assert browser.get("/social/bulk/", {"post_ids": ["not-a-uuid"]}).status_code == 404
    refused = browser.post(
        "/social/bulk/", {"post_ids": [str(mine.pk)], "account_ids": [str(foreign_account.pk)], "mode": "now"}
    )
    assert refused.status_code == 404
    assert not SandboxPost.objects.exists()

    Membership.objects.filter(team=team, user=user).update(role=Membership.Role.VIEWER)
    assert browser.get("/social/bulk/", {"post_ids": [str(mine.pk)]}).status_code == 403


def test_bulk_page_query_count_is_flat(browser, user, accounts):
    few = ContentPostFactory.create_batch(2, author=user, hashtags=[])
    many = few + ContentPostFactory.create_batch(10, author=user, hashtags=[])
    SocialAccountFactory.create_batch(5, team=accounts[0].team)

    def count(posts):
        with CaptureQueriesContext(connection) as queries:
            assert browser.get("/social/bulk/", {"post_ids": [str(p.pk) for p in posts]}).status_code == 200
        return len(queries.captured_queries)

    assert count(many) == count(few)


# --- pre-publish checks refuse a schedule up front ---------------------------------------------------


def test_publish_api_refuses_to_schedule_what_the_platform_would_refuse(api, user, accounts):
    post = ContentPostFactory(author=user, content=TOO_LONG, hashtags=[])

    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "accountIds": [str(accounts[0].pk)], "publishAt": "2031-01-01T09:00:00Z"},
        format="json",
    )

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and "before scheduling" in error["message"]
    [problem] = error["details"]["problems"]
    assert problem["code"] == "too_long" and problem["accountId"] == str(accounts[0].pk)
    assert not ScheduledPost.objects.exists()


def test_spec_schedule_endpoint_and_bulk_refuse_it_too(api, user, accounts):
    post = ContentPostFactory(author=user, content=TOO_LONG, hashtags=[])

    scheduled = api.post(
        "/api/content/schedule",
        {"postId": str(post.pk), "scheduledAt": "2031-01-01T09:00:00Z", "platforms": ["sandbox"]},
        format="json",
    )
    bulk = api.post(
        "/api/social/bulk-publish",
        {"postIds": [str(post.pk)], "accountIds": [str(accounts[0].pk)], "publishAt": "2031-01-01T09:00:00Z"},
        format="json",
    )

    assert scheduled.status_code == 400 and scheduled.json()["error"]["details"]["problems"]
    assert bulk.status_code == 400 and bulk.json()["error"]["details"]["problems"]
    assert not ScheduledPost.objects.exists()


def test_calendar_form_refuses_it_with_the_problem(browser, user, accounts):
    post = ContentPostFactory(author=user, content=TOO_LONG, hashtags=[])

    response = browser.post(
        "/calendar/schedule/",
        {"post": str(post.pk), "accounts": [str(accounts[0].pk)], "when": "2031-01-01T09:00"},
        follow=True,
    )

    assert "Fix these before scheduling" in response.content.decode()
    assert not ScheduledPost.objects.exists()


def test_a_post_that_passes_the_checks_is_scheduled(api, user, accounts):
    post = ContentPostFactory(author=user, content="A short launch note.", hashtags=[])

    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "accountIds": [str(accounts[0].pk)], "publishAt": "2031-01-01T09:00:00Z"},
        format="json",
    )

    assert response.status_code == 200 and len(response.json()["scheduledPosts"]) == 1


def test_connecting_a_platform_without_app_credentials_is_a_field_error(api, settings):
    settings.SOCIAL_PLATFORMS = {**settings.SOCIAL_PLATFORMS, "twitter": {"client_id": "", "client_secret": ""}}

    response = api.post("/api/social/connect", {"platform": "x", "authCode": "abc"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"platform": ["Not set up on this server."]}


# --- the optional first comment ----------------------------------------------------------------------


def test_first_comment_goes_with_the_post_and_is_kept(api, user, accounts):
    post = ContentPostFactory(author=user, content="Our launch notes are out.", hashtags=[])

    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "accountIds": [str(accounts[0].pk)], "firstComment": "Full notes: example.com/notes"},
        format="json",
    )

    assert response.status_code == 200 and response.json()["results"][0]["status"] == "SUCCESS"
    assert SandboxPost.objects.get().first_comment == "Full notes: example.com/notes"
    post.refresh_from_db()
    assert post.metadata["first_comment"] == "Full notes: example.com/notes"


def test_first_comment_is_moderated_with_the_post(api, user, accounts):
    post = ContentPostFactory(author=user, content="Our launch notes are out.", hashtags=[])

    response = api.post(
        "/api/social/publish",
        {"postId": str(post.pk), "accountIds": [str(accounts[0].pk)], "firstComment": "What the fuck is this pricing?"},
        format="json",
    )

    assert response.status_code == 422 and response.json()["error"]["code"] == "CONTENT_BLOCKED"
    assert not SandboxPost.objects.exists()


def test_first_comment_where_the_platform_has_none_is_a_warning(api):
    response = api.post(
        "/api/social/validate",
        {"text": "Hello", "platforms": ["linkedin", "twitter"], "firstComment": "More below"},
        format="json",
    )

    by_platform = {r["platform"]: r for r in response.json()["results"]}
    assert [p["code"] for p in by_platform["linkedin"]["problems"]] == ["first_comment_unsupported"]
    assert by_platform["linkedin"]["ok"] and by_platform["twitter"]["problems"] == []


def test_publish_page_offers_the_first_comment(browser, user, accounts):
    post = ContentPostFactory(author=user, content="Launch", hashtags=[], metadata={"first_comment": "Details inside"})

    html = browser.get(f"/social/publish/{post.pk}/").content.decode()

    assert 'name="first_comment"' in html and "Details inside</textarea>" in html
