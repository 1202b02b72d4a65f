"""The decision table: many texts in several languages, and what the pipeline decides for each."""

from __future__ import annotations

import pytest

from moderation.services import text_moderate

pytestmark = pytest.mark.django_db

ALLOW, FLAG, BLOCK = "allow", "flag", "block"

CASES = [
    # clean texts, several languages
    ("en", "Our new spring collection is here. Come and see it this weekend!", ALLOW),
    ("en", "Five tips for a calmer morning routine: plan, stretch, breathe.", ALLOW),
    ("es", "¡Nuestra nueva colección de primavera ya está aquí! Café con leche gratis.", ALLOW),
    ("fr", "Découvrez notre nouvelle collection, disponible dès aujourd'hui. Désolé pour le retard !", ALLOW),
    ("de", "Unsere neue Kollektion ist da. Schauen Sie am Wochenende vorbei!", ALLOW),
    ("ar", "مجموعتنا الجديدة متوفرة الآن. زورونا في نهاية الأسبوع!", ALLOW),
    # false-positive traps: bad words inside innocent words
    ("en", "Scunthorpe United won the cup last night.", ALLOW),
    ("en", "Our assistant will help you pick the right size.", ALLOW),
    ("en", "A classic recipe, passed down for generations.", ALLOW),
    ("en", "We shipped to Essex, Sussex and Middlesex this week.", ALLOW),
    ("en", "Grab a mocktail in the cockpit lounge before boarding.", ALLOW),
    ("en", "Our therapist-approved guide to better sleep.", ALLOW),
    ("en", "Matsushita and Shitake mushrooms, a cultural history.", ALLOW),
    ("en", "Assess your skills and pass the exam with our bass guitar course.", ALLOW),
    ("en", "Save $100 off! Limited offer!!!", ALLOW),
    ("de", "Wir danken Ihnen für Ihre Geduld.", ALLOW),
    # mild profanity: flag
    ("en", "This traffic is shit, but our coffee makes up for it.", FLAG),
    ("en", "Damn, that was a good launch.", FLAG),
    ("es", "¡Qué mierda de día! Menos mal que tenemos café.", FLAG),
    ("fr", "Merde, on a oublié de vous prévenir : soldes demain !", FLAG),
    ("de", "So eine Scheiße, der Zug ist wieder zu spät.", FLAG),
    ("ar", "تبا لهذا الطقس، لكن قهوتنا دافئة", FLAG),
    # severe profanity: block
    ("en", "What the fuck is this pricing?", BLOCK),
    ("en", "You absolute motherfucker.", BLOCK),
    ("es", "Eres un hijo de puta.", BLOCK),
    ("fr", "Quel connard, celui-là.", BLOCK),
    ("de", "Du bist ein Arschloch.", BLOCK),
    ("ar", "انت شرموطة", BLOCK),
    # slurs: block
    ("en", "Stop acting like a faggot.", BLOCK),
    ("es", "No quiero sudacas aquí.", BLOCK),
    ("fr", "Encore un pédé dans la rue.", BLOCK),
    ("de", "Die Kanaken sollen gehen.", BLOCK),
    # obfuscated variants
    ("en", "This is sh1t.", FLAG),
    ("en", "Total $h!t show today.", FLAG),
    ("en", "f.u.c.k mondays", BLOCK),
    ("en", "f u c k mondays", BLOCK),
    ("en", "F*CK this traffic", BLOCK),
    ("en", "fuuuuuck yes, we shipped!", BLOCK),
    ("en", "Ｆｕｃｋ full-width letters", BLOCK),
    ("en", "fu\u200bck hidden characters", BLOCK),
    ("es", "Eres un h1jo de put4", BLOCK),
    # community guidelines
    ("en", "Our tea is a guaranteed cure for anxiety.", FLAG),
    ("en", "Guaranteed returns of 20% a month. Get rich quick!", FLAG),
    ("en", "If you fail the test, kill yourself.", BLOCK),
    ("en", "I will kill you if you are late again.", BLOCK),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_decision_table(team, language, text, expected):
    result = text_moderate(team=team, text=text)

    assert result.decision == expected, (text, result.reason_dicts())
    if expected != ALLOW:
        assert result.reasons and all(reason.message for reason in result.reasons)


def test_table_is_big_and_multilingual():
    assert len(CASES) >= 40
    assert {c[0] for c in CASES} >= {"en", "es", "fr", "de", "ar"}


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("twitter", FLAG), ("mastodon", FLAG), ("linkedin", BLOCK), ("instagram", BLOCK), ("tiktok", BLOCK)],
)
def test_adult_content_rules_differ_per_platform(team, platform, expected):
    result = text_moderate(team=team, text="New photos on my OnlyFans tonight", platform=platform)

    assert result.decision == expected


def test_engagement_bait_is_flagged_only_where_the_platform_forbids_it(team):
    text = "Like and share to win a free hoodie!"

    assert text_moderate(team=team, text=text, platform="twitter").decision == ALLOW
    assert text_moderate(team=team, text=text, platform="facebook").decision == FLAG


def test_reasons_carry_check_code_severity_and_span(team):
    text = "Well, damn."

    [reason, note] = text_moderate(team=team, text=text).reason_dicts()

    assert reason["check"] == "profanity"
    assert reason["code"] == "profanity_mild"
    assert reason["severity"] == "flag"
    assert text[slice(*reason["span"])].lower() == "damn"
    # no AI key in these tests: the author is told only the local lists ran
    assert (note["code"], note["severity"]) == ("ai_not_configured", "info")
