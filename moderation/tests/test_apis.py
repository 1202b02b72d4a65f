"""The moderation API: check, the case queue and its actions, tenancy and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation.models import CaseStatus, ModerationCase
from moderation.tests.factories import ModerationCaseFactory
from teams.models import Membership
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["claim", "approve", "reject", "appeal"]


def _url(name: str, case: ModerationCase | None = None) -> str:
    return reverse(f"api-moderation-{name}", args=[case.pk] if case else [])


def test_check_returns_the_decision_and_reasons(client, author):
    client.force_login(author)

    response = client.post(
        _url("check"), {"text": "Damn good coffee", "platform": "x"}, content_type="application/json"
    )

    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["decision"] == "flag"
    assert body["reasons"][0]["check"] == "profanity"
    assert "duplicateSimilarity" in body["scores"]
    assert body["caseId"] is None
    assert not ModerationCase.objects.exists()


def test_check_can_submit_a_flagged_text_for_review(client, author, team):
    client.force_login(author)

    body = client.post(
        _url("check"), {"text": "Damn good coffee", "submitForReview": True}, content_type="application/json"
    ).json()

    case = ModerationCase.objects.get(pk=body["caseId"])
    assert (case.team, case.author, case.status) == (team, author, CaseStatus.OPEN)


def test_check_validates_and_needs_authentication(client, author):
    assert client.post(_url("check"), {"text": "x"}, content_type="application/json").status_code in (401, 403)
    client.force_login(author)

    response = client.post(_url("check"), {"text": "   "}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["details"]["text"]


def test_authors_list_their_teams_cases_and_moderators_list_all(client, author, team, moderator):
    mine = ModerationCaseFactory(team=team)
    theirs = ModerationCaseFactory()

    client.force_login(author)
    assert [c["id"] for c in client.get(_url("cases")).json()["results"]] == [str(mine.pk)]

    client.force_login(moderator)
    listed = {c["id"] for c in client.get(_url("cases")).json()["results"]}
    assert listed == {str(mine.pk), str(theirs.pk)}


def test_list_filters(client, moderator):
    ModerationCaseFactory(status=CaseStatus.APPROVED)
    pending = ModerationCaseFactory(status=CaseStatus.APPEALED, decision="block")
    client.force_login(moderator)

    body = client.get(_url("cases"), {"status": "pending", "decision": "block"}).json()

    assert [c["id"] for c in body["results"]] == [str(pending.pk)]
    assert client.get(_url("cases"), {"status": "nonsense"}).status_code == 400


def test_case_list_query_count_is_flat(client, moderator):
    client.force_login(moderator)
    ModerationCaseFactory.create_batch(2, claimed_by=moderator)

    with CaptureQueriesContext(connection) as few:
        assert client.get(_url("cases")).status_code == 200
    ModerationCaseFactory.create_batch(15, claimed_by=moderator, resolved_by=moderator)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url("cases")).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)


def test_moderator_claims_then_approves(client, moderator):
    case = ModerationCaseFactory()
    client.force_login(moderator)

    claimed = client.post(_url("case-claim", case)).json()["case"]
    approved = client.post(_url("case-approve", case), {"note": "Fine"}, content_type="application/json").json()

    assert claimed["status"] == "claimed" and claimed["claimedByEmail"] == moderator.email
    assert approved["case"]["status"] == "approved"
    assert approved["case"]["resolvedByEmail"] == moderator.email
    assert approved["case"]["note"] == "Fine"


def test_reject_needs_a_note_and_changes_nothing_without_one(client, moderator):
    case = ModerationCaseFactory()
    client.force_login(moderator)

    response = client.post(_url("case-reject", case), {"note": ""}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["details"]["note"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_resolved_cases_cannot_be_resolved_again(client, moderator):
    case = ModerationCaseFactory(status=CaseStatus.APPROVED)
    client.force_login(moderator)

    assert client.post(_url("case-reject", case), {"note": "x"}, content_type="application/json").status_code == 409


def test_another_moderators_claim_is_a_conflict(client, moderator):
    from accounts.models import User
    from accounts.tests.factories import UserFactory

    case = ModerationCaseFactory(
        status=CaseStatus.CLAIMED, claimed_by=UserFactory(platform_role=User.PlatformRole.MODERATOR)
    )
    client.force_login(moderator)

    assert client.post(_url("case-claim", case)).status_code == 409


def test_authors_cannot_moderate_their_own_cases(client, author, team):
    case = ModerationCaseFactory(team=team, author=author)
    client.force_login(author)

    assert client.post(_url("case-claim", case)).status_code == 403
    assert client.post(_url("case-approve", case), {}, content_type="application/json").status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_an_author_appeals_once(client, author, team):
    case = ModerationCaseFactory(team=team, author=author, status=CaseStatus.REJECTED)
    client.force_login(author)

    first = client.post(_url("case-appeal", case), {"message": "Please look again"}, content_type="application/json")
    case.refresh_from_db()
    case.status = CaseStatus.REJECTED  # a moderator rejected it a second time
    case.save()
    second = client.post(_url("case-appeal", case), {"message": "And again"}, content_type="application/json")

    assert first.status_code == 200 and first.json()["case"]["status"] == "appealed"
    assert second.status_code == 409
    case.refresh_from_db()
    assert case.appeal_message == "Please look again"


def test_appeal_needs_a_message_and_a_rejected_case(client, author, team):
    open_case = ModerationCaseFactory(team=team, author=author)
    rejected = ModerationCaseFactory(team=team, author=author, status=CaseStatus.REJECTED)
    client.force_login(author)

    assert (
        client.post(_url("case-appeal", rejected), {"message": ""}, content_type="application/json").status_code == 400
    )
    assert (
        client.post(_url("case-appeal", open_case), {"message": "hi"}, content_type="application/json").status_code
        == 409
    )


def test_a_viewer_of_the_team_cannot_appeal_someone_elses_case(client, team):
    viewer = MembershipFactory(team=team, role=Membership.Role.VIEWER).user
    viewer.current_team = team
    viewer.save()
    case = ModerationCaseFactory(team=team, status=CaseStatus.REJECTED)
    client.force_login(viewer)

    assert client.post(_url("case-appeal", case), {"message": "hi"}, content_type="application/json").status_code == 403


@pytest.mark.parametrize("action", ["case", "case-claim", "case-approve", "case-reject", "case-appeal"])
def test_another_teams_case_is_a_404_for_non_moderators(client, author, action):
    case = ModerationCaseFactory(team=TeamFactory(), status=CaseStatus.REJECTED)
    client.force_login(author)

    response = (
        client.get(_url(action, case))
        if action == "case"
        else client.post(_url(action, case), {"note": "x", "message": "x"}, content_type="application/json")
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED and not case.appealed_at


def test_a_malformed_case_id_is_a_404(client, moderator):
    client.force_login(moderator)

    assert client.get("/api/moderation/cases/not-a-uuid/").status_code == 404


def test_the_openapi_schema_still_builds_and_lists_moderation(client, author):
    client.force_login(author)

    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/moderation/check",
        "/api/moderation/cases/",
        "/api/moderation/cases/{case_id}/appeal",
        "/api/moderation/audit/export",
    ]:
        assert path in paths
