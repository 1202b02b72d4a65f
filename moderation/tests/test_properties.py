"""Spec properties 48-50 as hypothesis property tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.api.errors import ContentBlocked
from moderation.models import CaseStatus, ModerationAuditEvent, ModerationCase
from moderation.services import (
    case_appeal,
    case_approve,
    case_claim,
    case_reject,
    ensure_publishable,
    text_moderate,
)
from moderation.tests.factories import ModerationPolicyFactory, PolicyRuleFactory

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

CLEAN_WORDS = "our new spring collection launches today with fresh colours and great prices for everyone".split()
MILD = ["damn", "shit", "crap", "mierda", "merde", "scheiße", "تبا"]
SEVERE = ["fuck", "cunt", "hijo de puta", "connard", "arschloch", "شرموطة", "faggot", "kanake"]
clean_texts = st.lists(st.sampled_from(CLEAN_WORDS), min_size=1, max_size=20).map(" ".join)


def _obfuscate(word: str, style: int) -> str:
    if style == 1:
        return word.upper()
    if style == 2 and " " not in word:
        return ".".join(word)
    if style == 3:
        return word.replace("a", "4").replace("i", "1").replace("e", "3")
    return word


# Property 48: Automated Content Moderation
@SETTINGS
@given(
    before=clean_texts,
    after=clean_texts,
    word=st.sampled_from(SEVERE),
    style=st.integers(0, 3),
    platform=st.sampled_from(["twitter", "linkedin", "instagram", "tiktok", None]),
)
def test_severe_content_is_blocked_and_never_publishable(team, before, after, word, style, platform):
    text = f"{before} {_obfuscate(word, style)} {after}"

    assert text_moderate(team=team, text=text, platform=platform).decision == "block"
    with pytest.raises(ContentBlocked):
        ensure_publishable(team=team, text=text, platform=platform)


# Property 48: Automated Content Moderation
@SETTINGS
@given(before=clean_texts, word=st.sampled_from(MILD), platform=st.sampled_from(["twitter", "linkedin", None]))
def test_mild_content_is_flagged_and_held_for_review(team, before, word, platform):
    text = f"{before} {word}"

    assert text_moderate(team=team, text=text, platform=platform).decision == "flag"
    with pytest.raises(ContentBlocked) as caught:
        ensure_publishable(team=team, text=text, platform=platform)
    assert caught.value.details["code"] == "NEEDS_REVIEW"


# Property 48: Automated Content Moderation
@SETTINGS
@given(text=clean_texts, platform=st.sampled_from(["twitter", "linkedin", "facebook", "tiktok", None]))
def test_clean_content_is_allowed_and_publishable(team, text, platform):
    assert text_moderate(team=team, text=text, platform=platform).decision == "allow"
    assert ensure_publishable(team=team, text=text, platform=platform).decision == "allow"


# Property 49: Intellectual Property and Policy Compliance
@SETTINGS
@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12),
    action=st.sampled_from(["flag", "block"]),
    before=clean_texts,
)
def test_a_team_rule_decides_exactly_as_configured(word, action, before):
    team = UserFactory().current_team
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), value=word, action=action)
    other_team = UserFactory().current_team
    text = f"{before} {word.upper()}"

    assert text_moderate(team=team, text=text).decision == action
    assert text_moderate(team=other_team, text=f"{before} {word}").decision == "allow"


# Property 49: Intellectual Property and Policy Compliance
@SETTINGS
@given(term=st.sampled_from(["Coca-Cola", "Nike", "iPhone", "Starbucks", "Super Bowl"]), before=clean_texts)
def test_protected_terms_are_flagged_unless_allowed(term, before):
    team = UserFactory().current_team
    result = text_moderate(team=team, text=f"{before} {term}")
    assert result.decision == "flag" and result.reasons[0].check == "trademark"

    ModerationPolicyFactory(team=team, allowed_terms=[term])
    assert text_moderate(team=team, text=f"{before} {term}").decision == "allow"


# Property 49: Intellectual Property and Policy Compliance
@SETTINGS
@given(
    age=st.sampled_from([13, 16, 18]),
    topic=st.sampled_from([("beer", 18), ("casino", 18), ("vaping", 18), ("hookup", 16), ("gore", 16)]),
)
def test_age_filters_flag_topics_only_below_their_age(age, topic):
    team = UserFactory().current_team
    ModerationPolicyFactory(team=team, min_audience_age=age)
    word, min_age = topic

    decision = text_moderate(team=team, text=f"Join our {word} night").decision

    assert decision == ("flag" if age < min_age else "allow")


# Property 50: Manual Review and Audit Logging
@SETTINGS
@given(
    steps=st.lists(st.sampled_from(["claim", "approve", "reject", "appeal", "appeal"]), min_size=1, max_size=6),
    text=clean_texts,
)
def test_every_action_is_audited_and_appeals_happen_at_most_once(team, author, steps, text):
    moderator = UserFactory(platform_role=User.PlatformRole.MODERATOR)
    case = ModerationCase.objects.create(
        team=team, author=author, text=f"{text} damn", text_hash=f"h{ModerationCase.objects.count()}", decision="flag"
    )
    succeeded = 0
    for step in steps:
        before = ModerationAuditEvent.objects.count()
        try:
            if step == "claim":
                case = case_claim(case=case, moderator=moderator)
            elif step == "approve":
                case = case_approve(case=case, moderator=moderator, note="ok")
            elif step == "reject":
                case = case_reject(case=case, moderator=moderator, note="no")
            else:
                case = case_appeal(case=case, user=author, message="please")
            succeeded += 1
            event = ModerationAuditEvent.objects.order_by("-at").first()
            assert ModerationAuditEvent.objects.count() == before + 1
            assert event is not None and event.case_id == case.pk and event.status_after == case.status
        except Exception as exc:  # a refused action leaves no trace and changes nothing
            assert getattr(exc, "status_code", None) in (400, 403, 409)
            assert ModerationAuditEvent.objects.count() == before
        case.refresh_from_db()
    appeals = ModerationAuditEvent.objects.filter(case_id=case.pk, kind="appealed").count()
    assert appeals <= 1
    assert ModerationAuditEvent.objects.filter(case_id=case.pk).count() == succeeded
    assert case.status in CaseStatus.values
