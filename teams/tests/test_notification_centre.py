"""Notification centre: filters, mark read, delivery preferences (live / digest / off), the digest."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from teams.models import Notification
from teams.notification_preferences import notification_modes, notification_modes_set
from teams.services import notification_send
from teams.tasks import send_notification_digests
from teams.tests.conftest import api_for
from teams.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(email="ada@example.com", first_name="Ada")


def test_every_event_is_live_until_the_user_chooses(user):
    modes = notification_modes(user=user)

    assert set(modes.values()) == {"live"}
    assert "security" not in modes


def test_off_stores_nothing_and_pushes_nothing(user):
    notification_modes_set(user=user, modes={"mention": "off"})

    result = notification_send(user=user, title="You were mentioned", event=Notification.Event.MENTION)

    assert result is None
    assert not Notification.objects.filter(user=user).exists()


def test_security_notices_cannot_be_switched_off(user):
    with pytest.raises(Exception) as excinfo:
        notification_modes_set(user=user, modes={"security": "off"})
    assert excinfo.value.status_code == 400

    assert notification_send(user=user, title="New sign-in", event=Notification.Event.SECURITY) is not None


def test_preferences_api_round_trips_and_refuses_unknown_modes(user):
    client = api_for(user)

    ok = client.patch(reverse("api-notification-preferences"), {"modes": {"mention": "digest"}}, format="json")
    bad = client.patch(reverse("api-notification-preferences"), {"modes": {"mention": "carrier-pigeon"}}, format="json")

    assert ok.status_code == 200
    assert ok.json()["modes"]["mention"] == "digest"
    assert bad.status_code == 400
    assert bad.json()["error"]["details"]["mention"]
    assert client.get(reverse("api-notification-preferences")).json()["modes"]["mention"] == "digest"


def test_preferences_keep_the_other_notification_settings(user):
    from accounts.models import UserPreferences

    UserPreferences.objects.update_or_create(user=user, defaults={"notification_settings": {"emailPublishing": False}})

    notification_modes_set(user=user, modes={"comment": "off"})

    stored = UserPreferences.objects.get(user=user).notification_settings
    assert stored["emailPublishing"] is False
    assert stored["events"] == {"comment": "off"}


def test_preferences_page_saves_the_choices(client, user):
    client.force_login(user)
    data = {event: "live" for event in notification_modes(user=user)} | {"deadline": "digest", "comment": "off"}

    response = client.post(reverse("teams:notification_preferences"), data)

    assert response.status_code == 302
    modes = notification_modes(user=user)
    assert (modes["deadline"], modes["comment"], modes["mention"]) == ("digest", "off", "live")
    page = client.get(reverse("teams:notification_preferences"))
    assert page.status_code == 200
    assert b"Email digest" in page.content


def test_the_digest_emails_unread_digest_notifications_once(user, django_capture_on_commit_callbacks):
    # given: two unread deadline notices in digest mode, one already read, one live publish result
    notification_modes_set(user=user, modes={"deadline": "digest"})
    notification_send(user=user, title="Task due tomorrow", event=Notification.Event.DEADLINE)
    notification_send(user=user, title="Second task due", event=Notification.Event.DEADLINE)
    notification_send(user=user, title="Published!", event=Notification.Event.PUBLISH_RESULT)
    read = notification_send(user=user, title="Already read", event=Notification.Event.DEADLINE)
    read.read_at = timezone.now()
    read.save()

    # when: the daily task runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = send_notification_digests.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_notification_digests.delay().get()

    # then: one email with the two unread digest notices, and the second run sends nothing
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Task due tomorrow" in body and "Second task due" in body
    assert "Published!" not in body and "Already read" not in body
    assert mail.outbox[0].to == ["ada@example.com"]
    assert Notification.objects.filter(user=user, digested_at__isnull=False).count() == 2


def test_digest_mode_notifications_are_not_pushed_live(user, django_capture_on_commit_callbacks):
    notification_modes_set(user=user, modes={"comment": "digest"})

    with django_capture_on_commit_callbacks() as callbacks:
        notification_send(user=user, title="New comment", event=Notification.Event.COMMENT)
    with django_capture_on_commit_callbacks() as live_callbacks:
        notification_send(user=user, title="Mentioned", event=Notification.Event.MENTION)

    assert callbacks == []
    assert len(live_callbacks) == 1


def test_the_list_api_filters_unread_and_by_event(user):
    NotificationFactory(user=user, event="mention", title="m1")
    NotificationFactory(user=user, event="mention", title="m2", read_at=timezone.now())
    NotificationFactory(user=user, event="comment", title="c1")
    NotificationFactory(title="someone else's")
    client = api_for(user)

    unread = client.get(reverse("api-notifications"), {"unread": "true"}).json()
    mentions = client.get(reverse("api-notifications"), {"event": "mention"}).json()
    bad = client.get(reverse("api-notifications"), {"event": "nope"})

    assert {n["title"] for n in unread["results"]} == {"m1", "c1"}
    assert {n["title"] for n in mentions["results"]} == {"m1", "m2"}
    assert bad.status_code == 400


def test_mark_one_and_all_read_through_the_api(user):
    one, _two = NotificationFactory(user=user), NotificationFactory(user=user)
    client = api_for(user)

    assert client.post(reverse("api-notification-read", args=[one.pk])).json()["notification"]["readAt"]
    assert client.post(reverse("api-notifications-read-all")).json()["updated"] == 1
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_another_users_notification_is_a_404(user):
    theirs = NotificationFactory()

    response = api_for(user).post(reverse("api-notification-read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_api_has_a_flat_query_count(user):
    client = api_for(user)
    NotificationFactory.create_batch(2, user=user)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api-notifications"))
    NotificationFactory.create_batch(8, user=user)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("api-notifications")).json()["count"] == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_filters_unread_and_by_event(client, user):
    NotificationFactory(user=user, event="mention", title="Unread mention")
    NotificationFactory(user=user, event="mention", title="Read mention", read_at=timezone.now())
    NotificationFactory(user=user, event="comment", title="Unread comment")
    client.force_login(user)

    html = client.get(reverse("teams:notifications"), {"unread": "1", "event": "mention"}).content.decode()

    assert "Unread mention" in html
    assert "Read mention" not in html and "Unread comment" not in html
