"""AI moderation through the real OpenAI SDK, faked at the HTTP layer with respx."""

from __future__ import annotations

import httpx
import pytest
import respx

from moderation.models import ModerationAuditEvent
from moderation.services import text_moderate
from moderation.tests.factories import ModerationPolicyFactory

pytestmark = pytest.mark.django_db

BASE = "https://moderation.test/v1"


@pytest.fixture
def ai_on(settings):
    settings.MODERATION_OPENAI_API_KEY = "sk-test"
    settings.MODERATION_OPENAI_BASE_URL = BASE
    settings.MODERATION_AI_TIMEOUT = 0.5
    settings.MODERATION_AI_CACHE_SECONDS = 0
    return settings


def _answer(flagged: bool, categories: dict[str, bool], scores: dict[str, float]) -> dict:
    return {
        "id": "modr-1",
        "model": "omni-moderation-latest",
        "results": [
            {
                "flagged": flagged,
                "categories": categories,
                "category_scores": scores,
                "category_applied_input_types": {name: ["text"] for name in scores},
            }
        ],
    }


@respx.mock
def test_a_severe_flagged_category_blocks(ai_on, team):
    route = respx.post(f"{BASE}/moderations").respond(
        200, json=_answer(True, {"hate": True, "hate/threatening": True}, {"hate": 0.7, "hate/threatening": 0.6})
    )

    result = text_moderate(team=team, text="A perfectly spelled hateful threat")

    assert route.called
    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert b'"model":"omni-moderation-latest"' in sent.content.replace(b" ", b"")
    assert result.decision == "block"
    codes = {r.code for r in result.reasons}
    assert {"ai_hate", "ai_hate_threatening"} <= codes
    assert result.scores["ai"]["categories"]["hate/threatening"] is True
    assert result.scores["ai"]["scores"]["hate"] == 0.7


@respx.mock
def test_a_mild_flagged_category_needs_review(ai_on, team):
    respx.post(f"{BASE}/moderations").respond(200, json=_answer(True, {"harassment": True}, {"harassment": 0.55}))

    result = text_moderate(team=team, text="You are not very good at this, are you")

    assert result.decision == "flag"
    assert [r.check for r in result.reasons] == ["ai"]


@respx.mock
def test_a_very_high_score_blocks_even_unflagged(ai_on, team):
    respx.post(f"{BASE}/moderations").respond(200, json=_answer(False, {"violence": False}, {"violence": 0.93}))

    assert text_moderate(team=team, text="Something the model scores as violent").decision == "block"


@respx.mock
def test_clean_answer_allows(ai_on, team):
    respx.post(f"{BASE}/moderations").respond(200, json=_answer(False, {"hate": False}, {"hate": 0.01}))

    result = text_moderate(team=team, text="Lovely weather for our garden party")

    assert result.decision == "allow"
    assert result.reasons == []


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500, json={"error": {"message": "boom"}}), httpx.ConnectTimeout("timed out"), httpx.Response(429)],
    ids=["500", "timeout", "429"],
)
@respx.mock
def test_service_failure_degrades_to_local_checks_with_a_reason(ai_on, team, failure):
    route = respx.post(f"{BASE}/moderations")
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)

    clean = text_moderate(team=team, text="Our new menu launches on Friday")
    dirty = text_moderate(team=team, text="What the fuck is this menu")

    assert clean.decision == "allow"
    assert [r.code for r in clean.reasons] == ["ai_unavailable"]
    assert clean.reasons[0].severity == "info"
    assert dirty.decision == "block"  # the local lists still ran
    assert "ai_unavailable" in {r.code for r in dirty.reasons}


@respx.mock
def test_no_key_means_no_call(settings, team):
    settings.MODERATION_OPENAI_API_KEY = ""
    route = respx.post(f"{BASE}/moderations")

    result = text_moderate(team=team, text="Anything at all")

    assert not route.called
    assert result.decision == "allow"


@respx.mock
def test_a_team_policy_can_turn_ai_off(ai_on, team):
    ModerationPolicyFactory(team=team, ai_enabled=False)
    route = respx.post(f"{BASE}/moderations")

    text_moderate(team=team, text="Anything at all")

    assert not route.called


@respx.mock
def test_answers_are_cached_per_text(ai_on, team):
    ai_on.MODERATION_AI_CACHE_SECONDS = 60
    route = respx.post(f"{BASE}/moderations").respond(200, json=_answer(False, {"hate": False}, {"hate": 0.0}))

    text_moderate(team=team, text="Same text twice, cached")
    text_moderate(team=team, text="Same text twice, cached")

    assert route.call_count == 1


@respx.mock
def test_the_decision_is_audited(ai_on, team, author):
    respx.post(f"{BASE}/moderations").respond(200, json=_answer(True, {"harassment": True}, {"harassment": 0.6}))

    result = text_moderate(team=team, text="Audited text", author=author)

    event = ModerationAuditEvent.objects.get()
    assert event.kind == "decision"
    assert event.decision == result.decision == "flag"
    assert event.actor_email == author.email
    assert event.reasons[0]["code"] == "ai_harassment"
