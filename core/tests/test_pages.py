"""Dashboard pages, the landing page and the error templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from content.models import PostStatus
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduleStatus
from scheduling.tests.factories import ScheduledPostFactory
from social.tests.factories import SocialAccountFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "dashboard:home",
    "content:generate",
    "content:posts",
    "scheduling:calendar",
    "social:accounts",
    "teams:team",
]


@pytest.fixture
def user():
    return UserFactory(first_name="Ada")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_page_redirects_anonymous_users_to_login(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("name", PAGES)
def test_page_answers_a_logged_in_user(logged_in, name):
    response = logged_in.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrf-token"' in html
    assert 'id="notification-bell"' in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert "<script>" not in html  # ...and inline scripts


def test_landing_is_public_and_offers_log_in_and_sign_up(client):
    response = client.get(reverse("core:landing"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("account_login") in html
    assert reverse("account_signup") in html
    assert "Open dashboard" not in html


def test_landing_offers_the_dashboard_to_a_logged_in_user(logged_in):
    response = logged_in.get(reverse("core:landing"))

    assert "Open dashboard" in response.content.decode()
    assert reverse("dashboard:home") in response.content.decode()


def test_dashboard_welcomes_the_user_in_their_team(logged_in, user):
    response = logged_in.get(reverse("dashboard:home"))

    html = response.content.decode()
    assert "Welcome, Ada" in html
    assert escape(user.current_team.name) in html
    assert "No posts yet" in html  # empty state says what to do next
    assert reverse("content:generate") in html


def test_dashboard_counts_only_the_current_teams_rows(logged_in, user):
    # given: rows in the user's team...
    team = user.current_team
    ContentPostFactory.create_batch(2, author=user, team=team, status=PostStatus.DRAFT)
    published = ContentPostFactory(author=user, team=team, status=PostStatus.PUBLISHED)
    SocialAccountFactory(team=team)
    SocialAccountFactory(team=team, is_active=False)
    ScheduledPostFactory(post=published)
    ScheduledPostFactory(post=published, scheduled_at=timezone.now() - timedelta(days=1))
    ScheduledPostFactory(post=published, status=ScheduleStatus.COMPLETED)
    # ...and in someone else's
    stranger_post = ContentPostFactory(status=PostStatus.DRAFT)
    SocialAccountFactory(team=stranger_post.team)
    ScheduledPostFactory(post=stranger_post)

    # when
    response = logged_in.get(reverse("dashboard:home"))

    # then
    overview = response.context["overview"]
    assert overview["total_posts"] == 3
    assert {s["value"]: s["count"] for s in overview["statuses"]} == {
        "DRAFT": 2,
        "IN_REVIEW": 0,
        "APPROVED": 0,
        "CHANGES_REQUESTED": 0,
        "SCHEDULED": 0,
        "PUBLISHED": 1,
        "FAILED": 0,
    }
    assert overview["accounts"] == 1
    assert overview["upcoming"] == 1
    assert "No posts yet" not in response.content.decode()


def test_upcoming_counts_deliveries_and_says_so(logged_in, user):
    # one post scheduled to two accounts: one scheduled post, two deliveries, and the card says which
    team = user.current_team
    post = ContentPostFactory(author=user, team=team, status=PostStatus.SCHEDULED)
    for _ in range(2):
        ScheduledPostFactory(post=post, social_account=SocialAccountFactory(team=team))

    html = logged_in.get(reverse("dashboard:home")).content.decode()

    assert 'data-testid="count-upcoming">2<' in html
    assert "Upcoming deliveries" in html and "One per post and account" in html


def test_dashboard_ignores_a_current_team_the_user_has_left(logged_in, user):
    # given: the user's current team points at a team they are no longer a member of
    other = TeamFactory()
    ContentPostFactory.create_batch(3, author=other.owner, team=other)
    user.current_team = other
    user.save()

    # when
    response = logged_in.get(reverse("dashboard:home"))

    # then: nothing of that team is counted
    assert response.status_code == 200
    assert response.context["overview"] is None
    assert "No workspace selected" in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_rows(logged_in, user):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert logged_in.get(reverse("dashboard:home")).status_code == 200
        return len(ctx.captured_queries)

    ContentPostFactory.create_batch(2, author=user, team=user.current_team)
    few = count_queries()
    ContentPostFactory.create_batch(20, author=user, team=user.current_team, status=PostStatus.SCHEDULED)
    SocialAccountFactory.create_batch(5, team=user.current_team)

    assert count_queries() == few


def test_self_hosted_billing_link_leads_to_the_one_sentence_page(logged_in, settings):
    settings.SELF_HOSTED = True

    home = logged_in.get(reverse("dashboard:home"))
    billing = logged_in.get(reverse("billing:overview"))

    assert reverse("billing:overview") in home.content.decode()
    assert billing.status_code == 200
    assert "has every feature, with no limits." in billing.content.decode()


def test_billing_is_in_the_navigation_when_hosted(logged_in, settings):
    settings.SELF_HOSTED = False

    home = logged_in.get(reverse("dashboard:home"))

    assert reverse("billing:overview") in home.content.decode()


def test_log_out_is_a_post_form(logged_in):
    html = logged_in.get(reverse("dashboard:home")).content.decode()

    assert f'<form method="post" action="{reverse("account_logout")}">' in html


def test_login_lands_on_the_dashboard(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_use_the_product_layout(client, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert "auth-card" in html
    assert "css/app.css" in html
    assert "style=" not in html


def test_login_form_has_labelled_fields(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'name="login"' in html and 'for="id_login"' in html
    assert 'name="password"' in html and 'for="id_password"' in html


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_render_without_a_request(code):
    # No request, no context processors, no database: the 500 page must survive all three failing.
    html = render_to_string(f"errors/{code}.html")

    assert str(code) in html
    assert "css/app.css" in html


def test_unknown_page_uses_the_404_template(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_error_pages_need_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_to_string("errors/500.html")
