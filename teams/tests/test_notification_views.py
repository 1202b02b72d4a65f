"""The bell's panel, mark-all-read, open and the notifications page: only ever the user's own rows."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from teams.models import Notification
from teams.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def stranger():
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_panel_lists_the_users_latest_ten_notifications_newest_first(logged_in, user):
    NotificationFactory.create_batch(12, user=user)
    newest = NotificationFactory(user=user, title="The newest one")

    response = logged_in.get(reverse("teams:notification_panel"), **HTMX)

    assert response.status_code == 200
    shown = list(response.context["notifications"])
    assert len(shown) == 10
    assert shown[0] == newest
    assert all(n.user_id == user.pk for n in shown)
    assert b"<html" not in response.content  # a partial, not a page


def test_panel_never_shows_another_users_notifications(logged_in, user, stranger):
    NotificationFactory(user=user, title="Mine")
    NotificationFactory(user=stranger, title="Somebody else's secret")

    html = logged_in.get(reverse("teams:notification_panel"), **HTMX).content.decode()

    assert "Mine" in html
    assert "Somebody else" not in html


def test_panel_carries_the_unread_count_and_an_empty_state(logged_in, user):
    html = logged_in.get(reverse("teams:notification_panel"), **HTMX).content.decode()
    assert 'data-unread="0"' in html
    assert "You are all caught up" in html

    NotificationFactory.create_batch(3, user=user)
    html = logged_in.get(reverse("teams:notification_panel"), **HTMX).content.decode()
    assert 'data-unread="3"' in html
    assert 'data-testid="mark-all-read"' in html


def test_panel_query_count_does_not_grow_with_rows(logged_in, user):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert logged_in.get(reverse("teams:notification_panel"), **HTMX).status_code == 200
        return len(ctx.captured_queries)

    NotificationFactory.create_batch(2, user=user)
    few = count_queries()
    NotificationFactory.create_batch(20, user=user)

    assert count_queries() == few


def test_mark_all_read_touches_only_the_users_rows(logged_in, user, stranger):
    NotificationFactory.create_batch(3, user=user)
    theirs = NotificationFactory(user=stranger)

    response = logged_in.post(reverse("teams:notifications_mark_all_read"), **HTMX)

    assert response.status_code == 200
    assert 'data-unread="0"' in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_without_htmx_redirects_back_with_a_message(logged_in, user):
    NotificationFactory(user=user)

    response = logged_in.post(reverse("teams:notifications_mark_all_read"), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("teams:notifications")
    page = logged_in.get(response["Location"])
    assert "All notifications marked as read." in page.content.decode()


def test_mark_all_read_refuses_get(logged_in, user):
    NotificationFactory(user=user)

    assert logged_in.get(reverse("teams:notifications_mark_all_read")).status_code == 405
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1


def test_open_marks_the_notification_read_and_goes_to_its_page(logged_in, user):
    notification = NotificationFactory(user=user, url="/posts/")

    response = logged_in.post(reverse("teams:notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/posts/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_redirects_off_site(logged_in, user):
    notification = NotificationFactory(user=user, url="https://evil.example/phish")

    response = logged_in.post(reverse("teams:notification_open", args=[notification.pk]))

    assert response["Location"] == reverse("teams:notifications")


def test_another_users_notification_is_a_404_and_stays_unread(logged_in, stranger):
    theirs = NotificationFactory(user=stranger)

    response = logged_in.post(reverse("teams:notification_open", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unknown_notification_is_a_404(logged_in):
    assert logged_in.post(reverse("teams:notification_open", args=[uuid.uuid4()])).status_code == 404


def test_notifications_page_lists_only_the_users_rows(logged_in, user, stranger):
    NotificationFactory(user=user, title="Post published")
    NotificationFactory(user=stranger, title="Somebody else's secret")

    response = logged_in.get(reverse("teams:notifications"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Post published" in html
    assert "Somebody else" not in html


def test_notifications_page_paginates(logged_in, user):
    NotificationFactory.create_batch(30, user=user)

    first = logged_in.get(reverse("teams:notifications"))
    second = logged_in.get(reverse("teams:notifications"), {"page": 2})

    assert len(first.context["notifications"]) == 25
    assert len(second.context["notifications"]) == 5


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "teams:notifications", []),
        ("get", "teams:notification_panel", []),
        ("post", "teams:notifications_mark_all_read", []),
        ("post", "teams:notification_open", [uuid.uuid4()]),
    ],
)
def test_anonymous_users_are_sent_to_login(client, method, name, args):
    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
