"""The moderation pages: the queue, a case, the actions, tenancy and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation.models import CaseStatus, ModerationCase
from moderation.tests.factories import ModerationCaseFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_pages_need_login(client):
    assert client.get(reverse("moderation:queue")).status_code == 302


def test_moderator_queue_shows_pending_cases_with_their_age(client, moderator):
    pending = ModerationCaseFactory(text="Pending text here")
    ModerationCaseFactory(text="Approved text here", status=CaseStatus.APPROVED)
    client.force_login(moderator)

    html = client.get(reverse("moderation:queue")).content.decode()

    assert "Pending text here" in html and "Approved text here" not in html
    assert "old" in html and pending.team.name in html
    assert f'action="{reverse("moderation:claim", args=[pending.pk])}"' in html


def test_author_sees_their_teams_cases_and_the_check_form(client, author, team):
    ModerationCaseFactory(team=team, text="Ours")
    ModerationCaseFactory(text="Someone else's")
    client.force_login(author)

    html = client.get(reverse("moderation:queue")).content.decode()

    assert "Ours" in html and "Someone else&#x27;s" not in html
    assert 'name="submit_for_review"' in html


def test_queue_query_count_is_flat(client, moderator):
    client.force_login(moderator)
    ModerationCaseFactory.create_batch(2, claimed_by=moderator, status=CaseStatus.CLAIMED)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("moderation:queue"))
    ModerationCaseFactory.create_batch(15, claimed_by=moderator, status=CaseStatus.CLAIMED)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("moderation:queue"))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_check_page_htmx_renders_the_decision_partial(client, author):
    client.force_login(author)

    response = client.post(reverse("moderation:check"), {"text": "Damn fine coffee"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'data-decision="flag"' in html and "Needs review" in html


def test_check_and_submit_without_htmx_redirects_to_the_case(client, author):
    client.force_login(author)

    response = client.post(reverse("moderation:check"), {"text": "Damn fine coffee", "submit_for_review": "1"})

    case = ModerationCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("moderation:case", args=[case.pk])


def test_empty_check_shows_an_error(client, author):
    client.force_login(author)

    response = client.post(reverse("moderation:check"), {"text": " "}, HTTP_HX_REQUEST="true")

    assert "Give some text to check." in response.content.decode()


def test_moderator_claims_and_rejects_with_a_note_on_the_page(client, moderator):
    case = ModerationCaseFactory()
    client.force_login(moderator)

    client.post(reverse("moderation:claim", args=[case.pk]))
    response = client.post(reverse("moderation:reject", args=[case.pk]), {"note": "Off brand"}, follow=True)

    case.refresh_from_db()
    assert (case.status, case.note, case.claimed_by) == (CaseStatus.REJECTED, "Off brand", moderator)
    assert "Off brand" in response.content.decode()


def test_reject_without_a_note_changes_nothing(client, moderator):
    case = ModerationCaseFactory()
    client.force_login(moderator)

    response = client.post(reverse("moderation:reject", args=[case.pk]), {"note": ""})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_author_appeals_once_on_the_page(client, author, team):
    case = ModerationCaseFactory(team=team, author=author, status=CaseStatus.REJECTED)
    client.force_login(author)
    assert 'name="message"' in client.get(reverse("moderation:case", args=[case.pk])).content.decode()

    client.post(reverse("moderation:appeal", args=[case.pk]), {"message": "It is satire"})

    case.refresh_from_db()
    assert case.status == CaseStatus.APPEALED and case.appeal_message == "It is satire"
    assert 'name="message"' not in client.get(reverse("moderation:case", args=[case.pk])).content.decode()


def test_an_empty_appeal_is_refused(client, author, team):
    case = ModerationCaseFactory(team=team, author=author, status=CaseStatus.REJECTED)
    client.force_login(author)

    response = client.post(reverse("moderation:appeal", args=[case.pk]), {"message": ""})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED


@pytest.mark.parametrize("name", ["case", "claim", "approve", "reject", "appeal"])
def test_another_teams_case_is_a_404_on_every_page(client, author, name):
    case = ModerationCaseFactory(team=TeamFactory(), status=CaseStatus.REJECTED)
    client.force_login(author)
    url = reverse(f"moderation:{name}", args=[case.pk])

    response = client.get(url) if name == "case" else client.post(url, {"note": "x", "message": "x"})

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED


def test_authors_cannot_approve_on_the_page(client, author, team):
    case = ModerationCaseFactory(team=team, author=author)
    client.force_login(author)

    response = client.post(reverse("moderation:approve", args=[case.pk]), {"note": ""})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_decision_partial_renders_for_other_pages():
    from django.template.loader import render_to_string

    html = render_to_string(
        "moderation/partials/decision.html",
        {"decision": "block", "reasons": [{"check": "profanity", "message": "bad word", "severity": "block"}]},
    )

    assert "Blocked" in html and "bad word" in html and "status-failed" in html


def test_sidebar_links_to_moderation(client, author):
    client.force_login(author)

    assert f'href="{reverse("moderation:queue")}"' in client.get(reverse("moderation:queue")).content.decode()


def test_queue_page_links_keep_every_filter(client, moderator):
    ModerationCaseFactory.create_batch(27, text="Launch words here", decision="flag")
    client.force_login(moderator)

    html = client.get(
        reverse("moderation:queue"), {"status": "pending", "decision": "flag", "q": "Launch"}
    ).content.decode()

    assert "status=pending&amp;decision=flag&amp;q=Launch&amp;page=2" in html
