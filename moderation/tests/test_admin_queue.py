"""The review queue in the admin: filters, age, claim, approve or reject with the moderator's note."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from moderation.models import CaseStatus, ModerationAuditEvent, ModerationCase
from moderation.tests.factories import ModerationCaseFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:moderation_moderationcase_changelist"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _act(admin_client, action, cases, **extra):
    data = {"action": action, "_selected_action": [str(c.pk) for c in cases], **extra}
    return admin_client.post(reverse(CHANGELIST), data)


def test_changelist_shows_age_and_filters_by_status(admin_client):
    ModerationCaseFactory(text="Waiting for a moderator")
    ModerationCaseFactory(text="Already rejected", status=CaseStatus.REJECTED)

    html = admin_client.get(reverse(CHANGELIST), {"status__exact": "open"}).content.decode()

    assert "Waiting for a moderator" in html and "Already rejected" not in html
    assert "column-age" in html


def test_claim_then_reject_with_the_moderators_note(admin_client):
    case = ModerationCaseFactory()

    _act(admin_client, "claim", [case])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLAIMED

    asked = _act(admin_client, "reject", [case])
    assert asked.status_code == 200 and 'name="note"' in asked.content.decode()
    empty = _act(admin_client, "reject", [case], apply="1", note="  ")
    assert "Write a note for the author." in empty.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLAIMED

    done = _act(admin_client, "reject", [case], apply="1", note="Rewrite the second sentence, please.")

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED and case.note == "Rewrite the second sentence, please."
    event = ModerationAuditEvent.objects.filter(case_id=case.pk, kind="rejected").get()
    assert event.note == "Rewrite the second sentence, please." and event.status_before == "claimed"


def test_approve_with_an_optional_note(admin_client):
    cases = ModerationCaseFactory.create_batch(2)

    _act(admin_client, "approve", cases, apply="1", note="")

    assert set(ModerationCase.objects.values_list("status", flat=True)) == {CaseStatus.APPROVED}
    assert ModerationAuditEvent.objects.filter(kind="approved").count() == 2


def test_changelist_query_count_is_flat(admin_client):
    ModerationCaseFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(reverse(CHANGELIST))
    ModerationCaseFactory.create_batch(15)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(reverse(CHANGELIST))

    assert len(many.captured_queries) == len(few.captured_queries)
