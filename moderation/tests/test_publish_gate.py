"""ensure_publishable: blocked text never passes; flagged text waits for a moderator's approval."""

from __future__ import annotations

import pytest

from core.api.errors import ContentBlocked
from moderation.integration import ensure_publishable, moderate_generated_text, refuse_blocked
from moderation.models import CaseStatus, ModerationCase
from moderation.services import case_appeal, case_approve, case_claim, case_reject

pytestmark = pytest.mark.django_db

FLAGGED = "Damn, this launch went well."
BLOCKED = "What the fuck is this launch."


def test_clean_text_passes(team):
    result = ensure_publishable(team=team, text="Our launch went well.", platform="linkedin")

    assert result.decision == "allow"
    assert not ModerationCase.objects.exists()


def test_blocked_text_is_refused_with_reasons(team, author):
    with pytest.raises(ContentBlocked) as caught:
        ensure_publishable(team=team, text=BLOCKED, platform="linkedin", author=author)

    assert caught.value.status_code == 422
    assert caught.value.details["code"] == "CONTENT_BLOCKED"
    assert caught.value.details["reasons"][0]["code"] == "profanity_severe"
    case = ModerationCase.objects.get()
    assert case.status == CaseStatus.REJECTED and case.can_appeal


def test_flagged_text_needs_review_until_approved(team, author, moderator):
    with pytest.raises(ContentBlocked) as caught:
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author, post_id="post-1")
    assert caught.value.details["code"] == "NEEDS_REVIEW"
    case = ModerationCase.objects.get(pk=caught.value.details["case_id"])
    assert (case.status, case.subject_type, case.subject_id) == ("open", "post", "post-1")

    # asking again does not open a second case
    with pytest.raises(ContentBlocked):
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author)
    assert ModerationCase.objects.count() == 1

    case_claim(case=case, moderator=moderator)
    case_approve(case=case, moderator=moderator, note="Fine in context.")

    # the same text (case and spacing aside) now passes
    assert ensure_publishable(team=team, text="damn,  this launch went well.", platform="twitter").case_id == str(
        case.pk
    )


def test_an_approval_is_per_team(team, author, moderator):
    from teams.tests.factories import TeamFactory

    with pytest.raises(ContentBlocked) as caught:
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author)
    case_approve(case=ModerationCase.objects.get(pk=caught.value.details["case_id"]), moderator=moderator)

    with pytest.raises(ContentBlocked):
        ensure_publishable(team=TeamFactory(), text=FLAGGED, platform="twitter")


def test_a_rejected_text_stays_refused_and_an_appeal_reopens_it(team, author, moderator):
    with pytest.raises(ContentBlocked) as caught:
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author)
    case = ModerationCase.objects.get(pk=caught.value.details["case_id"])
    case_reject(case=case, moderator=moderator, note="Not on brand.")

    with pytest.raises(ContentBlocked) as again:
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author)
    assert again.value.details["code"] == "REJECTED"

    case = case_appeal(case=case, user=author, message="It is a quote from our CEO.")
    assert case.status == CaseStatus.APPEALED
    with pytest.raises(ContentBlocked) as pending:
        ensure_publishable(team=team, text=FLAGGED, platform="twitter", author=author)
    assert pending.value.details["code"] == "NEEDS_REVIEW"


def test_integration_helpers(team, author):
    meta = moderate_generated_text(team=team, text=FLAGGED, platform="twitter", author=author)
    assert meta["decision"] == "flag" and meta["reasons"][0]["check"] == "profanity"

    assert refuse_blocked(team=team, text=FLAGGED).decision == "flag"  # drafts may hold flagged text
    with pytest.raises(ContentBlocked):
        refuse_blocked(team=team, text=BLOCKED)
