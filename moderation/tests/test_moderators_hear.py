"""Moderators hear about work: new cases reach them live or by digest; the queue shows age and
priority; many cases can be decided at once with one note."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tokens import tokens_issue
from config.asgi import application
from core.api.errors import ContentBlocked
from moderation.models import CaseStatus, ModerationCase
from moderation.services import ensure_publishable
from moderation.tests.factories import ModerationCaseFactory, PolicyRuleFactory
from teams.models import Notification
from teams.notification_preferences import notification_modes_set


def _flagging_rule(team) -> None:
    PolicyRuleFactory(policy__team=team, value="miracle cure", action="flag")


def _open_case(team, author) -> ModerationCase:
    with pytest.raises(ContentBlocked) as refused:
        ensure_publishable(team=team, text="Try our miracle cure today", platform="linkedin", author=author)
    assert refused.value.details["code"] == "NEEDS_REVIEW"
    return ModerationCase.objects.get(pk=refused.value.details["case_id"])


async def _socket_for(user) -> WebsocketCommunicator:
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"cookie", cookie), (b"origin", b"http://testserver")]
    )
    connected, _ = await socket.connect()
    assert connected
    return socket


@pytest.mark.django_db(transaction=True)
async def test_a_moderator_hears_of_a_new_case_over_the_websocket():
    # given a moderator and an ordinary user, both with the dashboard open
    moderator = await sync_to_async(UserFactory)(platform_role=User.PlatformRole.MODERATOR)
    bystander = await sync_to_async(UserFactory)()
    author = await sync_to_async(UserFactory)()
    await sync_to_async(_flagging_rule)(author.current_team)
    moderator_socket, bystander_socket = await _socket_for(moderator), await _socket_for(bystander)

    # when a post of the author's is flagged on its way out
    case = await sync_to_async(_open_case)(author.current_team, author)

    # then the moderator's browser hears of the case, with a link to it; the bystander's hears nothing
    message = await moderator_socket.receive_json_from(timeout=5)
    assert message["type"] == "notification"
    assert message["notification"]["title"] == "New moderation case"
    assert message["notification"]["url"] == f"/moderation/cases/{case.pk}/"
    assert "miracle cure" in message["notification"]["body"]
    assert await bystander_socket.receive_nothing(timeout=0.3)
    await moderator_socket.disconnect()
    await bystander_socket.disconnect()


@pytest.mark.django_db
def test_a_moderator_on_the_digest_gets_the_case_in_the_email_not_live(
    author, team, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    from teams.notification_preferences import digest_send_all

    notification_modes_set(user=moderator, modes={Notification.Event.MODERATION_CASE: "digest"})
    _flagging_rule(team)

    _open_case(team, author)

    stored = Notification.objects.get(user=moderator)
    assert stored.event == Notification.Event.MODERATION_CASE
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_all() == 1
    assert mailoutbox[-1].to == [moderator.email]
    assert "New moderation case" in mailoutbox[-1].body


@pytest.mark.django_db
def test_a_moderator_who_turned_the_event_off_is_not_notified(author, team, moderator):
    notification_modes_set(user=moderator, modes={Notification.Event.MODERATION_CASE: "off"})
    _flagging_rule(team)

    _open_case(team, author)

    assert not Notification.objects.filter(user=moderator).exists()


@pytest.mark.django_db
def test_an_appeal_notifies_the_moderators(author, team, moderator):
    case = ModerationCaseFactory(team=team, author=author, status=CaseStatus.REJECTED, decision="block")
    client = Client()
    client.force_login(author)

    client.post(f"/moderation/cases/{case.pk}/appeal", {"message": "It is a quote from a film"})

    note = Notification.objects.get(user=moderator)
    assert note.title == "Appeal to review"


@pytest.mark.django_db
def test_the_queue_shows_age_and_priority(moderator):
    with time_machine.travel(timezone.now() - timedelta(hours=6), tick=False):
        old = ModerationCaseFactory(text="Waiting since the morning")
    fresh = ModerationCaseFactory(text="Just arrived")
    appealed = ModerationCaseFactory(text="Author appealed", status=CaseStatus.APPEALED)
    client = Client()
    client.force_login(moderator)

    html = client.get("/moderation/").content.decode()

    def badge(case) -> str:
        item = html[html.index(f'data-case-id="{case.pk}"') :]
        return item[: item.index("</li>")]

    assert "High priority" in badge(old) and "6\xa0hours old" in badge(old)
    assert "Normal priority" in badge(fresh)
    assert "High priority" in badge(appealed)


@pytest.mark.django_db
def test_bulk_reject_decides_each_ticked_case_with_the_note(moderator):
    picked = ModerationCaseFactory.create_batch(3)
    untouched = ModerationCaseFactory()
    client = Client()
    client.force_login(moderator)

    response = client.post(
        "/moderation/bulk",
        {"action": "reject", "note": "Health claims need a source", "case_ids": [str(c.pk) for c in picked]},
    )

    assert response.status_code == 302
    for case in picked:
        case.refresh_from_db()
        assert (case.status, case.note, case.resolved_by) == (
            CaseStatus.REJECTED,
            "Health claims need a source",
            moderator,
        )
        assert Notification.objects.filter(user=case.author, title="Your content was rejected").exists()
    untouched.refresh_from_db()
    assert untouched.status == CaseStatus.OPEN


@pytest.mark.django_db
def test_bulk_reject_without_a_note_changes_nothing(moderator):
    cases = ModerationCaseFactory.create_batch(2)
    client = Client()
    client.force_login(moderator)

    page = client.post("/moderation/bulk", {"action": "reject", "case_ids": [str(c.pk) for c in cases]}, follow=True)

    assert "Give the authors a reason." in page.content.decode()
    assert set(ModerationCase.objects.values_list("status", flat=True)) == {CaseStatus.OPEN}


@pytest.mark.django_db
def test_bulk_decisions_are_for_moderators_only(author):
    case = ModerationCaseFactory(team=author.current_team, author=author)
    client = Client()
    client.force_login(author)

    response = client.post("/moderation/bulk", {"action": "approve", "case_ids": [str(case.pk)]})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.django_db
def test_bulk_api_skips_cases_already_decided(moderator):
    open_case = ModerationCaseFactory()
    decided = ModerationCaseFactory(status=CaseStatus.APPROVED)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=moderator).access}")

    response = api.post(
        "/api/moderation/cases/bulk",
        {"caseIds": [str(open_case.pk), str(decided.pk), "not-a-case"], "action": "approve", "note": "Fine"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["id"] for c in body["decided"]] == [str(open_case.pk)]
    assert {s["id"] for s in body["skipped"]} == {str(decided.pk), "not-a-case"}
    open_case.refresh_from_db()
    assert open_case.status == CaseStatus.APPROVED


@pytest.mark.django_db
def test_bulk_api_refuses_an_unknown_action_with_the_envelope(moderator):
    case = ModerationCaseFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=moderator).access}")

    response = api.post("/api/moderation/cases/bulk", {"caseIds": [str(case.pk)], "action": "delete"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.django_db
def test_each_moderator_is_told_in_their_own_language(author, team, moderator):
    from accounts.models import UserPreferences

    UserPreferences.objects.update_or_create(user=moderator, defaults={"language": "es"})
    english = UserFactory(platform_role=User.PlatformRole.ADMIN)
    _flagging_rule(team)

    _open_case(team, author)

    # stored once as a key, shown in each reader's language (what the live push sends them)
    from teams.tasks import notification_payload

    assert notification_payload(Notification.objects.get(user=moderator))["title"] == "Nuevo caso de moderación"
    assert notification_payload(Notification.objects.get(user=english))["title"] == "New moderation case"
