"""The generation path end to end through the API: fallback order, circuit breaker, cache, quota, records."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from billing.models import UsageQuota
from billing.services import quota_ensure
from content.models import AIProviderConfig, GenerationRecord
from content.tests import fakes

pytestmark = pytest.mark.django_db

BODY = {
    "prompt": "Autumn coffee blend",
    "platform": "linkedin",
    "tone": "fun",
    "audience": "baristas",
    "contentType": "CAPTION",
}


def _generate(api, **extra):
    return api.post("/api/content/generate", {**BODY, **extra}, format="json")


def _used(user) -> int:
    return UsageQuota.objects.get(team=user.current_team).content_generations


# Property 1: AI Provider Integration and Fallback
def test_openai_answers_first_and_the_response_says_so(api, user, openai_configured):
    openai_configured.queue(fakes.ok(fakes.openai_completion("Fresh beans for baristas! #Coffee")))

    response = _generate(api)

    assert response.status_code == 200
    meta = response.json()["metadata"]
    assert (meta["provider"], meta["model"], meta["cached"], meta["offline"]) == ("openai", "gpt-4o-mini", False, False)
    assert (meta["tokensIn"], meta["tokensOut"]) == (42, 17)
    # no moderation key in this test: the author is told only the local lists ran
    assert meta["moderation"]["decision"] == "allow"
    assert [r["code"] for r in meta["moderation"]["reasons"]] == ["ai_not_configured"]
    record = GenerationRecord.objects.get()
    assert (record.provider, record.tokens_in, record.tokens_out, record.cache_hit, record.succeeded) == (
        "openai",
        42,
        17,
        False,
        True,
    )
    assert record.estimated_cost > 0


# Property 1: AI Provider Integration and Fallback
def test_when_openai_fails_anthropic_answers(api, user, openai_configured, anthropic_configured):
    fake = openai_configured
    fake.queue(
        fakes.error_response(500),
        fakes.error_response(500),
        fakes.error_response(500),
        fakes.ok(fakes.anthropic_message("Claude to the rescue #Coffee")),
    )

    response = _generate(api)

    assert response.status_code == 200
    assert response.json()["metadata"]["provider"] == "anthropic"
    assert [r.path for r in fake.requests] == ["/v1/chat/completions"] * 3 + ["/v1/messages"]
    attempts = GenerationRecord.objects.get().attempts
    assert [a["outcome"] for a in attempts] == ["failed", "answered"]


def test_priority_order_comes_from_the_env_and_a_preferred_provider_goes_first(
    api, openai_configured, anthropic_configured, ai_settings
):
    ai_settings.AI_PROVIDER_PRIORITY = ["anthropic", "openai", "offline"]
    openai_configured.queue(
        fakes.ok(fakes.anthropic_message("from claude")), fakes.ok(fakes.openai_completion("from gpt"))
    )

    first = _generate(api)
    second = _generate(api, aiProvider="OPENAI", prompt="Another topic")

    assert first.json()["metadata"]["provider"] == "anthropic"
    assert second.json()["metadata"]["provider"] == "openai"


def test_all_providers_failing_is_a_retryable_503_and_the_quota_unit_comes_back(
    api, user, openai_configured, ai_settings
):
    ai_settings.AI_PROVIDER_PRIORITY = ["openai"]
    openai_configured.default = fakes.error_response(503)
    before = _used(user) if UsageQuota.objects.filter(team=user.current_team).exists() else 0

    response = _generate(api)

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "AI_PROVIDER_UNAVAILABLE" and error["retryable"] is True and error["retryAfter"] >= 5
    assert _used(user) == before
    assert GenerationRecord.objects.get().succeeded is False


def test_the_circuit_opens_after_repeated_failures_and_skips_the_provider(api, openai_configured, ai_settings):
    ai_settings.AI_CIRCUIT_FAILURE_THRESHOLD = 2
    ai_settings.AI_RETRY_ATTEMPTS = 1
    openai_configured.default = fakes.error_response(500)

    for topic in ("one", "two"):
        assert _generate(api, prompt=topic).json()["metadata"]["provider"] == "offline"
    calls = len(openai_configured.requests)
    third = _generate(api, prompt="three")

    assert third.json()["metadata"]["provider"] == "offline"
    assert len(openai_configured.requests) == calls  # open circuit: OpenAI not even asked
    assert cache.get("ai:circuit:openai")["opened_until"] > 0


def test_the_same_request_is_answered_from_the_cache_and_regenerate_bypasses_it(api, user, openai_configured):
    openai_configured.queue(
        fakes.ok(fakes.openai_completion("first answer")), fakes.ok(fakes.openai_completion("second answer"))
    )

    first = _generate(api)
    used = _used(user)
    again = _generate(api, prompt="  Autumn   coffee blend ")  # same request once normalised
    fresh = _generate(api, regenerate=True)

    assert again.json()["metadata"]["cached"] is True and again.json()["content"] == first.json()["content"]
    assert _used(user) == used + 1  # only the regenerate cost a unit
    assert fresh.json()["content"].startswith("second answer")
    assert len(openai_configured.requests) == 2
    keys = [r for r in GenerationRecord.objects.values_list("cache_hit", flat=True)]
    assert sorted(keys) == [False, False, True]


def test_cache_key_is_namespaced_by_provider(api, openai_configured):
    from content.generation import cache_key
    from content.providers.registry import providers_for
    from content.services import brief_build

    brief = brief_build(kind="CAPTION", topic="x", platform="twitter")
    keys = [cache_key(p, brief) for p in providers_for(team=None)]
    assert keys[0].startswith("ai:openai:") and keys[-1].startswith("ai:offline:")


def test_quota_exceeded_is_a_429_in_the_envelope(api, user):
    quota = quota_ensure(team=user.current_team)
    UsageQuota.objects.filter(pk=quota.pk).update(content_generations=quota.max_content_generations)

    response = _generate(api)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "QUOTA_EXCEEDED"


def test_a_team_can_bring_its_own_key(api, user, fake_ai):
    AIProviderConfig.objects.create(
        team=user.current_team, name="openai", api_key="sk-team-own", base_url=f"{fake_ai.url}/v1", model="gpt-4.1-mini"
    )
    fake_ai.queue(fakes.ok(fakes.openai_completion("team key", model="gpt-4.1-mini")))

    response = _generate(api)

    assert response.json()["metadata"]["provider"] == "openai"
    assert fake_ai.requests[-1].headers["authorization"] == "Bearer sk-team-own"
    assert fake_ai.requests[-1].json()["model"] == "gpt-4.1-mini"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT api_key FROM {AIProviderConfig._meta.db_table}")
        assert "sk-team-own" not in cursor.fetchone()[0]  # encrypted at rest


def test_an_admin_row_can_switch_a_provider_off(api, openai_configured):
    AIProviderConfig.objects.create(name="openai", is_active=False)

    assert _generate(api).json()["metadata"]["provider"] == "offline"
    assert openai_configured.requests == []


def test_variants_are_different_and_each_fits(api):
    response = _generate(api, variants=3, platform="twitter")

    variants = response.json()["variants"]
    assert len(variants) == 3 and len({v["content"] for v in variants}) == 3
    assert all(v["characterCount"] <= 280 for v in variants)
