"""Notifications and activity lines are written once and read in each reader's language.

The writer stores a key and parameters; the bell, the notification page, the websocket push, the API,
the e-mail digest and the activity feed render them in the language of whoever reads them. Rows
written before keys existed are converted by a data migration when their text matches a template.
"""

from __future__ import annotations

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import user_preferences_ensure
from accounts.tokens import tokens_issue
from content.collaboration import comment_create, task_create
from teams.models import ActivityEvent, Membership, Notification
from teams.notification_preferences import digest_send_for, notification_modes_set
from teams.services import activity_record, notification_send
from teams.tasks import notification_payload
from teams.tests.factories import TeamFactory, crew_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("teams.migrations.0008_stored_messages_to_keys")


def _speaks(user, language):
    prefs = user_preferences_ensure(user=user)
    prefs.language = language
    prefs.save()
    cache.clear()


@pytest.fixture(autouse=True)
def _english_after():
    yield
    translation.activate("en")
    cache.clear()


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("es", "Nueva tarea: Revisar el texto", "Vence el 2026-12-09 10:00"),
        ("ar", "مهمة جديدة: Revisar el texto", "الاستحقاق 2026-12-09 10:00"),
    ],
)
def test_a_task_notification_written_in_english_reads_in_the_assignees_language(language, title, body):
    crew = crew_create()
    editor = crew.users["editor"]
    _speaks(editor, language)
    due = timezone.now().replace(year=2026, month=12, day=9, hour=10, minute=0, second=0, microsecond=0)

    # the owner writes with an English interface; the stored text stays English
    with translation.override("en"):
        task_create(ctx=crew.ctx("owner"), title="Revisar el texto", assignee=editor, due_at=due)
    stored = Notification.objects.get(user=editor)
    assert stored.title == "New task: Revisar el texto"

    client = Client()
    client.force_login(editor)
    page = client.get(reverse("teams:notifications")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=editor).access}")
    listed = api.get(reverse("api-notifications")).content.decode()
    pushed = notification_payload(stored)

    assert title in page and body in page
    assert "New task" not in page
    assert title in str(json.loads(listed)) and "New task" not in listed
    assert (pushed["title"], pushed["body"]) == (title, body)


def test_two_readers_of_one_team_read_the_same_activity_line_each_in_their_language(client):
    crew = crew_create()
    post_owner = crew.users["owner"]
    _speaks(crew.users["admin"], "ar")
    _speaks(crew.users["editor"], "es")
    activity_record(
        team=crew.team,
        actor=post_owner,
        verb="workflow.saved",
        summary=migration_message("saved the workflow “%(name)s”", name="Legal"),
    )

    pages = {}
    for role in ("admin", "editor"):
        User.objects.filter(pk=crew.users[role].pk).update(current_team=crew.team)
        client.force_login(crew.users[role])
        pages[role] = client.get(reverse("teams:activity")).content.decode()

    assert "حفظ سير العمل «Legal»" in pages["admin"]
    assert "guardó el flujo «Legal»" in pages["editor"]
    assert "saved the workflow" not in pages["admin"] + pages["editor"]


def migration_message(key, **params):
    from core.stored_messages import Message

    return Message(key, **params)


def test_the_digest_email_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    crew = crew_create()
    editor = crew.users["editor"]
    _speaks(editor, "es")
    notification_modes_set(user=editor, modes={"mention": "digest"})
    post = _post(crew)

    with translation.override("en"):
        comment_create(ctx=crew.ctx("owner"), post=post, body=f"@{editor.email} mira esto")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        # the beat task runs with no language of its own
        assert digest_send_for(user_id=editor.pk) == 1

    sent = mail.outbox[-1]
    assert sent.subject == "Tu resumen de ContentGenAI: 1 novedad"
    assert "Olive te mencionó en «Spring menu»" in sent.body
    assert "Hola, Eddie:" in sent.body
    assert "mentioned you" not in sent.body and "Hello" not in sent.body


def _post(crew):
    from content.tests.factories import ContentPostFactory

    return ContentPostFactory(author=crew.users["owner"], team=crew.team, title="Spring menu", content="Spring menu")


def test_a_role_inside_an_activity_line_is_translated_with_it():
    crew = crew_create()
    from teams.membership_services import member_role_change
    from teams.models import Membership

    membership = Membership.objects.get(team=crew.team, user=crew.users["viewer"])
    member_role_change(ctx=crew.ctx("owner"), membership=membership, role="reviewer")

    event = ActivityEvent.objects.filter(verb="member.role_changed").get()
    with translation.override("es"):
        spanish = event.localized_summary
    assert event.summary.endswith(" Reviewer")
    assert spanish == f"{crew.users['owner'].email} asignó a {crew.users['viewer'].email} el rol Revisor"


def test_the_migration_gives_old_english_rows_their_key_and_keeps_unknown_text():
    team = TeamFactory()
    old = [
        Notification.objects.create(
            user=team.owner, team=team, title="Due soon: Check the copy", body="Due 2026-12-09 10:00"
        ),
        Notification.objects.create(user=team.owner, team=team, title="Ada (client): hello"),
        Notification.objects.create(user=team.owner, team=team, title="Suspicious sign-in from 10.0.0.1"),
    ]  # fmt: skip
    events = [
        ActivityEvent.objects.create(
            team=team, verb="member.role_changed", summary="a@example.com made b@example.com editor"
        ),
        ActivityEvent.objects.create(team=team, verb="post.approved", summary="Cleo (client) approved “Menu” (Legal)"),
        ActivityEvent.objects.create(team=team, verb="team.updated", summary="a@example.com changed name, timezone"),
    ]  # fmt: skip

    migration.forwards(django_apps, None)

    due, unknown_title, alert = (Notification.objects.get(pk=n.pk) for n in old)
    role, client_approval, settings_change = (ActivityEvent.objects.get(pk=e.pk) for e in events)
    assert (due.title_key, due.body_key) == ("Due soon: %(task)s", "Due %(when)s")
    assert due.params == {"task": "Check the copy", "when": "2026-12-09 10:00"}
    assert unknown_title.title_key == "" and alert.title_key == ""
    assert role.params["role"] == {"msgid": "Editor"}
    with translation.override("ar"):
        assert due.localized_title == "يستحق قريبًا: Check the copy"
        assert alert.localized_title == "Suspicious sign-in from 10.0.0.1"  # shown as stored
        assert role.localized_summary == "جعل a@example.com b@example.com بدور محرر"
        assert client_approval.localized_summary == "وافق Cleo (عميل) على «Menu» (Legal)"
        assert settings_change.localized_summary == "غيّر a@example.com إعدادات الفريق"
    with translation.override("es"):
        assert due.localized_body == "Vence el 2026-12-09 10:00"


def test_a_plain_string_is_stored_and_shown_as_written():
    team = TeamFactory()
    notification = notification_send(user=team.owner, team=team, title="Hola equipo", body="user words")

    with translation.override("ar"):
        assert (notification.localized_title, notification.localized_body) == ("Hola equipo", "user words")
    assert notification.title_key == ""


def test_a_reminder_written_by_the_beat_task_reads_in_the_assignees_language():
    crew = crew_create()
    editor = crew.users["editor"]
    _speaks(editor, "ar")
    task_create(ctx=crew.ctx("owner"), title="Publish", assignee=editor, due_at=timezone.now() - timedelta(minutes=1))
    from content.collaboration import task_deadlines_remind

    task_deadlines_remind()

    overdue = Notification.objects.filter(user=editor, event=Notification.Event.DEADLINE).get()
    assert notification_payload(overdue)["title"] == "متأخرة: Publish"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "El propietario no puede salir. Transfiere antes la propiedad a otro miembro."),
        ("ar", "لا يستطيع المالك المغادرة. انقل الملكية إلى عضو آخر أولًا."),
    ],
)
def test_an_error_a_service_raises_reads_in_the_callers_language(language, message):
    crew = crew_create()
    owner = crew.users["owner"]
    _speaks(owner, language)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=owner).access}")

    response = api.post(reverse("api-team-leave", args=[crew.team.pk]))

    assert response.status_code == 409
    assert response.json()["error"]["message"] == message
    assert Membership.objects.filter(team=crew.team, user=owner).exists()
