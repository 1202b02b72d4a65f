"""Team policies, required disclosures, protected terms and age-appropriate filtering."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from moderation.models import PolicyRule, ProtectedTerm
from moderation.services import text_moderate
from moderation.tests.factories import ModerationPolicyFactory, PolicyRuleFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_blocked_words_patterns_and_topics(team):
    policy = ModerationPolicyFactory(team=team)
    PolicyRuleFactory(policy=policy, kind="word", value="competitorco", action="block")
    PolicyRuleFactory(policy=policy, kind="pattern", value=r"\b\d{3}-\d{4}\b", action="flag", label="No phone numbers")
    PolicyRuleFactory(policy=policy, kind="topic", value="election, ballot, candidate", label="Politics", action="flag")

    assert text_moderate(team=team, text="Better than CompetitorCo!").decision == "block"
    phone = text_moderate(team=team, text="Call 555-1234 today")
    assert phone.decision == "flag" and phone.reasons[0].message == "No phone numbers"
    topic = text_moderate(team=team, text="Who is your candidate this year?")
    assert topic.decision == "flag" and "Politics" in topic.reasons[0].message
    assert text_moderate(team=team, text="Our new candles smell great").decision == "allow"


def test_rules_of_another_team_do_not_apply(team):
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=TeamFactory()), value="coffee")

    assert text_moderate(team=team, text="Coffee time").decision == "allow"


def test_inactive_rules_are_ignored(team):
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), value="coffee", is_active=False)

    assert text_moderate(team=team, text="Coffee time").decision == "allow"


def test_invalid_and_huge_patterns_are_refused_on_save():
    with pytest.raises(ValidationError):
        PolicyRule(kind="pattern", value="(unclosed").clean()
    with pytest.raises(ValidationError):
        PolicyRule(kind="pattern", value="a" * 600).clean()
    PolicyRule(kind="pattern", value=r"\bok\b").clean()


def test_a_catastrophic_pattern_times_out_into_a_flag(team, settings):
    settings.MODERATION_REGEX_TIMEOUT = 0.01
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), kind="pattern", value=r"^(a|aa)+$", action="block")

    result = text_moderate(team=team, text="a" * 40 + "!")

    assert result.decision == "flag"
    assert result.reasons[0].code == "policy_pattern_timeout"


@pytest.mark.parametrize(
    ("text", "sponsored", "expected"),
    [
        ("Our favourite running shoes", True, "flag"),
        ("Our favourite running shoes #ad", True, "allow"),
        ("Sponsored: our favourite running shoes", True, "allow"),
        ("Grab them here https://amzn.to/3xYz", False, "flag"),
        ("Grab them here https://shop.example.com/shoes?tag=me-20", False, "flag"),
        ("Grab them here https://amzn.to/3xYz #affiliate", False, "allow"),
        ("Read our blog https://example.com/post", False, "allow"),
    ],
)
def test_required_disclosures(team, text, sponsored, expected):
    assert text_moderate(team=team, text=text, sponsored=sponsored).decision == expected


def test_a_team_can_make_missing_disclosures_block_and_choose_its_tags(team):
    ModerationPolicyFactory(team=team, disclosure_action="block", disclosure_tags=["#werbung"])

    assert text_moderate(team=team, text="Tolle Schuhe #ad", sponsored=True).decision == "block"
    assert text_moderate(team=team, text="Tolle Schuhe #Werbung", sponsored=True).decision == "allow"


def test_global_protected_terms_are_flagged_with_their_owner(team):
    result = text_moderate(team=team, text="Official partner of Coca-Cola and the Super Bowl!")

    assert result.decision == "flag"
    messages = " ".join(r.message for r in result.reasons)
    assert "The Coca-Cola Company" in messages and "National Football League" in messages


def test_a_teams_trademark_is_flagged_for_others_but_not_for_itself(team):
    owner = TeamFactory()
    ProtectedTerm.objects.create(team=owner, term="Zentrix", owner="Zentrix GmbH")

    assert text_moderate(team=owner, text="Zentrix ships faster").decision == "allow"
    result = text_moderate(team=team, text="Zentrix ships faster")
    assert result.decision == "flag" and "Zentrix GmbH" in result.reasons[0].message


def test_licensed_terms_are_allowed(team):
    ModerationPolicyFactory(team=team, allowed_terms=["Nike"])

    assert text_moderate(team=team, text="New Nike drops in store").decision == "allow"


def test_age_filters_follow_the_audience_age(team):
    text = "Join us for happy hour: craft beer and wine tasting"
    assert text_moderate(team=team, text=text).decision == "allow"  # default audience 18+

    ModerationPolicyFactory(team=team, min_audience_age=13)

    result = text_moderate(team=team, text=text)
    assert result.decision == "flag"
    assert {r.code for r in result.reasons if r.severity != "info"} == {"age_alcohol"}


def test_a_brand_policy_overrides_the_team_policy(team):
    brand_id = uuid.uuid4()
    ModerationPolicyFactory(team=team, min_audience_age=18)
    ModerationPolicyFactory(team=team, brand_id=brand_id, min_audience_age=13)
    text = "New casino night this Friday"

    assert text_moderate(team=team, text=text).decision == "allow"
    assert text_moderate(team=team, text=text, brand=brand_id).decision == "flag"


def test_adult_content_is_blocked_for_young_audiences_on_every_platform(team):
    ModerationPolicyFactory(team=team, min_audience_age=16)

    assert text_moderate(team=team, text="Check my OnlyFans", platform="mastodon").decision == "block"
