"""The audit log is append-only: at the ORM, in the admin, and on PostgreSQL in the database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from moderation.audit import audit_record
from moderation.models import AuditLogImmutable, ModerationAuditEvent
from moderation.services import case_approve, case_claim
from moderation.tests.factories import ModerationCaseFactory

pytestmark = pytest.mark.django_db


def _event(**kwargs):
    return audit_record(kind="decision", decision="flag", **kwargs)


def test_events_cannot_be_updated_or_deleted_through_the_orm():
    event = _event(note="original")

    event.note = "rewritten"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        ModerationAuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AuditLogImmutable):
        ModerationAuditEvent.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        ModerationAuditEvent.objects.filter(pk=event.pk)._raw_delete(ModerationAuditEvent.objects.db)

    assert ModerationAuditEvent.objects.get(pk=event.pk).note == "original"


def test_deleting_a_team_or_user_keeps_the_log(team, author):
    _event(team=team, actor=author)

    author.delete()

    assert ModerationAuditEvent.objects.get().actor_email == author.email


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_even_in_raw_sql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = _event(note="original")
    table = ModerationAuditEvent._meta.db_table

    for statement in (f"UPDATE {table} SET note = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])

    assert ModerationAuditEvent.objects.get(pk=event.pk).note == "original"


def test_every_case_action_is_audited_with_before_and_after(moderator):
    case = ModerationCaseFactory()

    case_claim(case=case, moderator=moderator)
    case_approve(case=case, moderator=moderator, note="ok")

    events = list(ModerationAuditEvent.objects.filter(case_id=case.pk).order_by("at"))
    assert [(e.kind, e.status_before, e.status_after) for e in events] == [
        ("claimed", "open", "claimed"),
        ("approved", "claimed", "approved"),
    ]
    assert all(e.actor_email == moderator.email for e in events)
    assert events[-1].note == "ok"


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root@example.com", "pw-root-123456"))
    return client


def test_admin_is_read_only(superuser_client):
    event = _event()
    change = reverse("admin:moderation_moderationauditevent_change", args=[event.pk])
    delete = reverse("admin:moderation_moderationauditevent_delete", args=[event.pk])

    page = superuser_client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert superuser_client.post(change, {"note": "x"}).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:moderation_moderationauditevent_add")).status_code == 403
    changelist = superuser_client.get(reverse("admin:moderation_moderationauditevent_changelist"))
    assert b"delete_selected" not in changelist.content
    assert b"export_csv" in changelist.content


def test_admin_export_action(superuser_client):
    event = _event(note="exported")

    response = superuser_client.post(
        reverse("admin:moderation_moderationauditevent_changelist"),
        {"action": "export_json", "_selected_action": [str(event.pk)]},
    )

    assert response.status_code == 200
    assert json.loads(response.content)[0]["note"] == "exported"
    assert ModerationAuditEvent.objects.filter(kind="exported").exists()


def test_api_export_by_date_range_for_platform_admins(client, platform_admin):
    old = _event(note="old")
    recent = _event(note="recent")
    client.force_login(platform_admin)
    start = (timezone.now() - timedelta(minutes=5)).isoformat()

    as_json = client.get(reverse("api-moderation-audit-export"), {"start": start, "fileType": "json"})
    as_csv = client.get(reverse("api-moderation-audit-export"), {"start": start, "fileType": "csv"})
    future = client.get(
        reverse("api-moderation-audit-export"), {"start": (timezone.now() + timedelta(days=1)).isoformat()}
    )

    assert as_json.status_code == 200
    assert {row["note"] for row in json.loads(as_json.content)} >= {old.note, recent.note}
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.decode().splitlines()[0].startswith("id,at,kind")
    assert json.loads(future.content) == []


def test_api_export_is_refused_to_others_and_validates_the_range(client, author, moderator, platform_admin):
    client.force_login(author)
    assert client.get(reverse("api-moderation-audit-export")).status_code == 403
    client.force_login(moderator)
    assert client.get(reverse("api-moderation-audit-export")).status_code == 403

    client.force_login(platform_admin)
    bad = client.get(reverse("api-moderation-audit-export"), {"start": "2026-02-01T00:00:00Z", "end": "2026-01-01"})
    assert bad.status_code == 400
    assert bad.json()["error"]["details"]["end"]
    assert client.get(reverse("api-moderation-audit-export"), {"fileType": "xml"}).status_code == 400
