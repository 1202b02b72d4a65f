"""The real openai and anthropic SDKs (their own httpx2 transport) against a local fake server:
what each provider makes of every kind of answer."""

from __future__ import annotations

import pytest

from content.prompts import build_prompt
from content.providers.anthropic import AnthropicProvider
from content.providers.base import Brief, ProviderError, ProviderSettings, StreamChunk
from content.providers.openai import OpenAIProvider
from content.providers.openai_compatible import OpenAICompatibleProvider
from content.resilience import call_with_retry
from content.tests import fakes
from content.tests.fake_server import FakeResponse

BRIEF = Brief(kind="CAPTION", topic="Autumn coffee blend", platform="linkedin", tone="fun", audience="baristas")
PROMPT = build_prompt(BRIEF, max_tokens=300, temperature=0.5)


def _settings(name: str, base_url: str, model: str) -> ProviderSettings:
    return ProviderSettings(
        name=name,
        model=model,
        max_tokens=300,
        temperature=0.5,
        priority=0,
        api_key="sk-test",
        base_url=base_url,
        timeout=0.5,
    )


@pytest.fixture
def openai_provider(fake_ai) -> OpenAIProvider:
    return OpenAIProvider(_settings("openai", f"{fake_ai.url}/v1", "gpt-4o-mini"))


@pytest.fixture
def anthropic_provider(fake_ai) -> AnthropicProvider:
    return AnthropicProvider(_settings("anthropic", fake_ai.url, "claude-haiku-4-5"))


def _collect(chunks) -> tuple[str, StreamChunk]:
    chunks = list(chunks)
    return "".join(c.delta for c in chunks), chunks[-1]


def _no_sleep(_: float) -> None:
    pass


# OpenAI -----------------------------------------------------------------------------------------
def test_openai_success_sends_the_prompt_and_reads_usage(fake_ai, openai_provider):
    fake_ai.queue(fakes.ok(fakes.openai_completion("Fresh beans! #Coffee")))

    completion = openai_provider.generate(PROMPT, stream=False)

    assert completion.text == "Fresh beans! #Coffee"
    assert (completion.provider, completion.model, completion.tokens_in, completion.tokens_out) == (
        "openai",
        "gpt-4o-mini",
        42,
        17,
    )
    sent = fake_ai.requests[-1]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    body = sent.json()
    assert body["model"] == "gpt-4o-mini" and body["max_completion_tokens"] == 300
    assert body["messages"][0]["role"] == "system" and "Autumn coffee blend" in body["messages"][1]["content"]


def test_openai_streams_chunks_in_order_and_reports_usage(fake_ai, openai_provider):
    fake_ai.queue(fakes.sse_response(fakes.openai_stream_body(["Fresh ", "beans ", "today!"])))

    text, last = _collect(openai_provider.generate(PROMPT, stream=True))

    assert text == "Fresh beans today!"
    assert last.done and (last.tokens_in, last.tokens_out) == (40, 12)
    assert fake_ai.requests[-1].json()["stream_options"] == {"include_usage": True}


def test_openai_429_with_retry_after_is_retried_after_that_wait(fake_ai, openai_provider, settings):
    settings.AI_RETRY_MAX_DELAY = 5
    fake_ai.queue(fakes.error_response(429, retry_after="2"), fakes.ok(fakes.openai_completion("ok")))
    waits: list[float] = []

    completion = call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=waits.append)

    assert completion.text == "ok" and len(fake_ai.requests) == 2
    assert waits == [2.0]  # the server's Retry-After, not our own backoff


def test_retry_after_is_capped_so_a_request_never_hangs(fake_ai, openai_provider, settings):
    settings.AI_RETRY_MAX_DELAY = 0.5
    fake_ai.queue(fakes.error_response(429, retry_after="3600"), fakes.ok(fakes.openai_completion("ok")))
    waits: list[float] = []

    call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=waits.append)

    assert waits == [0.5]


def test_backoff_without_retry_after_grows_and_stays_under_the_cap(fake_ai, openai_provider, settings):
    settings.AI_RETRY_BASE_DELAY = 0.1
    settings.AI_RETRY_MAX_DELAY = 0.15
    fake_ai.queue(fakes.error_response(503), fakes.error_response(503), fakes.ok(fakes.openai_completion("ok")))
    waits: list[float] = []

    call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=waits.append)

    assert len(waits) == 2 and all(0 <= w <= 0.15 for w in waits)


def test_openai_500_is_retryable_and_gives_up_after_the_attempts(fake_ai, openai_provider, settings):
    settings.AI_RETRY_ATTEMPTS = 3
    fake_ai.default = fakes.error_response(500)

    with pytest.raises(ProviderError) as info:
        call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=_no_sleep)

    assert info.value.retryable and info.value.status == 500
    assert len(fake_ai.requests) == 3


def test_openai_timeout_is_a_retryable_error(fake_ai, openai_provider):
    fake_ai.queue(FakeResponse(200, fakes.openai_completion("too late"), delay=1.5))

    with pytest.raises(ProviderError) as info:
        openai_provider.generate(PROMPT)

    assert info.value.retryable and "timed out" in info.value.message


@pytest.mark.parametrize(
    "response",
    [
        FakeResponse(200, b"<html>proxy error</html>"),
        FakeResponse(200, {"id": "x", "object": "chat.completion", "choices": []}),
        FakeResponse(200, {"unexpected": True}),
    ],
    ids=["not-json", "no-choices", "wrong-shape"],
)
def test_openai_malformed_body_is_a_non_retryable_error(fake_ai, openai_provider, response):
    fake_ai.default = response

    with pytest.raises(ProviderError) as info:
        call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=_no_sleep)

    assert not info.value.retryable and "malformed" in info.value.message
    assert len(fake_ai.requests) == 1  # a broken answer is not worth asking again


def test_openai_400_is_not_retried(fake_ai, openai_provider):
    fake_ai.default = fakes.error_response(400)

    with pytest.raises(ProviderError) as info:
        call_with_retry(lambda: openai_provider.generate(PROMPT), sleep=_no_sleep)

    assert not info.value.retryable and len(fake_ai.requests) == 1


def test_a_stream_that_breaks_mid_way_raises_a_provider_error(fake_ai, openai_provider):
    body = fakes.openai_stream_body(["Half a sen"])
    broken = body[: body.index(b"data: ", 300)] + b'data: {"choices": [{"delta": {"content": 5}}'
    fake_ai.queue(fakes.sse_response(broken))

    with pytest.raises(ProviderError):
        list(openai_provider.generate(PROMPT, stream=True))


def test_openai_compatible_server_gets_max_tokens_and_no_stream_options(fake_ai):
    provider = OpenAICompatibleProvider(_settings("openai_compatible", f"{fake_ai.url}/v1", "llama3.2"))
    fake_ai.queue(fakes.sse_response(fakes.openai_stream_body(["Hola"], model="llama3.2")))

    text, last = _collect(provider.generate(PROMPT, stream=True))

    body = fake_ai.requests[-1].json()
    assert text == "Hola" and last.model == "llama3.2"
    assert body["max_tokens"] == 300 and "stream_options" not in body


# Anthropic --------------------------------------------------------------------------------------
def test_anthropic_success(fake_ai, anthropic_provider):
    fake_ai.queue(fakes.ok(fakes.anthropic_message("Claude says hi #Coffee")))

    completion = anthropic_provider.generate(PROMPT)

    assert (completion.text, completion.provider, completion.tokens_in, completion.tokens_out) == (
        "Claude says hi #Coffee",
        "anthropic",
        30,
        20,
    )
    sent = fake_ai.requests[-1]
    assert sent.path == "/v1/messages"
    assert "sk-test" in (sent.headers.get("x-api-key", "") + sent.headers.get("authorization", ""))
    body = sent.json()
    assert body["system"] == PROMPT.system and body["max_tokens"] == 300


def test_anthropic_streams_text_deltas(fake_ai, anthropic_provider):
    fake_ai.queue(fakes.sse_response(fakes.anthropic_stream_body(["Brewing ", "now"])))

    text, last = _collect(anthropic_provider.generate(PROMPT, stream=True))

    assert text == "Brewing now"
    assert last.done and (last.tokens_in, last.tokens_out, last.model) == (25, 9, "claude-haiku-4-5")


def test_anthropic_429_retry_after_then_success(fake_ai, anthropic_provider, settings):
    settings.AI_RETRY_MAX_DELAY = 5
    fake_ai.queue(fakes.error_response(429, retry_after="1", kind="anthropic"), fakes.ok(fakes.anthropic_message("ok")))
    waits: list[float] = []

    assert call_with_retry(lambda: anthropic_provider.generate(PROMPT), sleep=waits.append).text == "ok"
    assert waits == [1.0]


@pytest.mark.parametrize("status", [500, 529])
def test_anthropic_server_errors_are_retryable(fake_ai, anthropic_provider, status):
    fake_ai.queue(fakes.error_response(status, kind="anthropic"))

    with pytest.raises(ProviderError) as info:
        anthropic_provider.generate(PROMPT)

    assert info.value.retryable and info.value.status == status


def test_anthropic_timeout_is_retryable(fake_ai, anthropic_provider):
    fake_ai.queue(FakeResponse(200, fakes.anthropic_message("late"), delay=1.5))

    with pytest.raises(ProviderError) as info:
        anthropic_provider.generate(PROMPT)

    assert info.value.retryable


@pytest.mark.parametrize(
    "response",
    [FakeResponse(200, {"type": "message", "content": []}), FakeResponse(200, b"not json at all")],
    ids=["no-text", "not-json"],
)
def test_anthropic_malformed_body_is_not_retryable(fake_ai, anthropic_provider, response):
    fake_ai.queue(response)

    with pytest.raises(ProviderError) as info:
        anthropic_provider.generate(PROMPT)

    assert not info.value.retryable and "malformed" in info.value.message
