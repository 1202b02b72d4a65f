"""The generation path: cache, then providers by priority with retries, circuit breakers and fallback.

Quota is taken before a provider is called and given back when every provider failed (or the
client went away before the answer was complete). Each call leaves a GenerationRecord (a cache
hit's is written in a batch with others, core.write_buffer).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any, Final

from django.conf import settings
from django.core.cache import cache

from billing.services import quota_consume, quota_release
from content.language_check import LanguageCheck, language_check, language_fields
from content.learning import PerformanceContext, brief_with_performance, performance_cache_keys
from content.models import GenerationRecord
from content.prompts import IMPROVEMENTS_MARKER, build_prompt
from content.providers.base import Brief, Completion, Provider, ProviderError, StreamChunk
from content.providers.config_rows import CONFIG_VERSION_KEY
from content.providers.registry import providers_for
from content.resilience import CircuitBreaker, call_with_retry
from core.api.errors import AIProviderUnavailable
from core.metrics import ai_call_record
from core.write_buffer import buffered_create

QUOTA_KIND: Final = "content_generations"


@dataclass
class GenerationOutcome:
    text: str
    provider: str
    provider_label: str
    model: str
    offline: bool
    cached: bool = False
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    charged: bool = False
    attempts: list[dict[str, Any]] = field(default_factory=list)
    language_check: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    learned_from: int = 0  # how many of the team's best posts the writer was shown (spec 10.1)
    learned_guidance: list[str] = field(default_factory=list)


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def _key_payload(brief: Brief) -> dict[str, Any]:
    """The brief as the cache key reads it: normalised, the same for every provider."""
    payload = {k: _normalise(v) for k, v in asdict(brief).items()}
    for name in ("platform", "tone", "language", "kind"):
        payload[name] = str(payload[name]).lower()
    return payload


def cache_key(provider: Provider, brief: Brief, *, payload: dict[str, Any] | None = None) -> str:
    """`ai:<provider>:<sha256>` of the normalised request: the same ask answered by the same model hits.
    `payload` is `_key_payload(brief)` when the caller has it already (one brief, several providers)."""
    payload = {**(payload if payload is not None else _key_payload(brief))}
    payload["model"] = provider.model
    payload["max_tokens"] = provider.config.max_tokens
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"ai:{provider.name}:{digest}"


def estimated_cost(model: str, tokens_in: int, tokens_out: int) -> Decimal:
    prices = settings.AI_MODEL_PRICES
    price = prices.get(model) or next((p for name, p in prices.items() if model.startswith(name)), None)
    if not price:
        return Decimal(0)
    return (Decimal(str(price[0])) * tokens_in + Decimal(str(price[1])) * tokens_out) / Decimal(1_000_000)


def _record(
    *,
    team: Any,
    user: Any,
    kind: str,
    outcome: GenerationOutcome | None,
    latency_ms: int,
    attempts: list[dict[str, Any]],
    error_code: str = "",
) -> None:
    record = GenerationRecord(
        team=team,
        user=user if getattr(user, "pk", None) else None,
        kind=kind,
        provider=outcome.provider if outcome else "",
        model=outcome.model if outcome else "",
        tokens_in=outcome.tokens_in if outcome else 0,
        tokens_out=outcome.tokens_out if outcome else 0,
        latency_ms=latency_ms,
        estimated_cost=estimated_cost(outcome.model, outcome.tokens_in, outcome.tokens_out)
        if outcome and not outcome.cached
        else Decimal(0),
        cache_hit=bool(outcome and outcome.cached),
        succeeded=outcome is not None,
        error_code=error_code,
        attempts=attempts,
    )
    if outcome is not None and outcome.cached:
        buffered_create(record)  # a hit costs no INSERT of its own: hits are written in batches
    else:
        record.save()
    ai_call_record(
        provider=outcome.provider if outcome else "",
        succeeded=outcome is not None,
        cached=bool(outcome and outcome.cached),
        latency_ms=latency_ms,
    )


def _cached(providers: list[Provider], brief: Brief) -> GenerationOutcome | None:
    payload = _key_payload(brief)
    keys = {p.name: cache_key(p, brief, payload=payload) for p in providers}
    hits = cache.get_many(list(keys.values()))
    for provider in providers:
        hit = hits.get(keys[provider.name])
        if hit:
            return GenerationOutcome(**{**hit, "cached": True, "charged": False, "attempts": []})
    return None


def _store(provider: Provider, brief: Brief, outcome: GenerationOutcome) -> None:
    keep = {k: v for k, v in asdict(outcome).items() if k not in ("cached", "charged", "attempts", "latency_ms")}
    cache.set(cache_key(provider, brief), keep, timeout=settings.AI_CACHE_TTL)


def _unavailable(providers: list[Provider]) -> AIProviderUnavailable:
    waits = [CircuitBreaker(p.name).retry_in() for p in providers] or [30]
    return AIProviderUnavailable(
        "No AI provider could answer right now. Nothing was charged; please try again shortly.",
        details={"providers": [p.name for p in providers]},
        retry_after=max(5, min(waits)),
    )


def _read_ahead(*, team: Any, brief: Brief) -> dict[str, Any]:
    """What a request reads from the cache before it can name the AI cache keys, in one round trip:
    the provider configuration's version and the team's remembered results."""
    return cache.get_many([CONFIG_VERSION_KEY, *performance_cache_keys(brief, team=team)])


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def generate_text(
    *, team: Any, user: Any, brief: Brief, preferred: str | None = None, regenerate: bool = False
) -> GenerationOutcome:
    """One answer for the brief, from the cache or the first provider that can give it."""
    started = time.perf_counter()
    ahead = _read_ahead(team=team, brief=brief)
    brief, learned = brief_with_performance(brief, team=team, read_ahead=ahead)
    providers = providers_for(team=team, preferred=preferred, read_ahead=ahead)
    if not regenerate and (hit := _cached(providers, brief)):
        hit.latency_ms = _ms_since(started)
        _record(team=team, user=user, kind=brief.kind, outcome=hit, latency_ms=hit.latency_ms, attempts=[])
        return hit
    quota_consume(team=team, kind=QUOTA_KIND)
    attempts: list[dict[str, Any]] = []
    try:
        for provider in providers:
            breaker = CircuitBreaker(provider.name)
            if not breaker.allows():
                attempts.append({"provider": provider.name, "outcome": "circuit_open"})
                continue
            try:
                completion, check = _complete_in_language(provider, brief)
            except ProviderError as exc:
                breaker.record_failure()
                attempts.append({"provider": provider.name, "outcome": "failed", "error": exc.message})
                continue
            breaker.record_success()
            attempts.append({"provider": provider.name, "outcome": "answered"})
            outcome = GenerationOutcome(
                text=completion.text,
                provider=provider.name,
                provider_label=provider.label,
                model=completion.model,
                offline=provider.offline,
                tokens_in=completion.tokens_in,
                tokens_out=completion.tokens_out,
                latency_ms=_ms_since(started),
                charged=True,
                attempts=attempts,
                **language_fields(check, offline=provider.offline),
                **_learned_fields(learned),
            )
            _store(provider, brief, outcome)
            _record(
                team=team, user=user, kind=brief.kind, outcome=outcome, latency_ms=outcome.latency_ms, attempts=attempts
            )
            return outcome
    except BaseException:
        quota_release(team=team, kind=QUOTA_KIND)
        raise
    quota_release(team=team, kind=QUOTA_KIND)
    _record(
        team=team,
        user=user,
        kind=brief.kind,
        outcome=None,
        latency_ms=_ms_since(started),
        attempts=attempts,
        error_code="AI_PROVIDER_UNAVAILABLE",
    )
    raise _unavailable(providers)


def _checks_language(brief: Brief) -> bool:
    return brief.kind != "HASHTAGS"


def _post_part(text: str) -> str:
    """The post itself, without an optimisation's list of changes (written for the user, in any language)."""
    return text.split(IMPROVEMENTS_MARKER, 1)[0]


def _complete_in_language(provider: Provider, brief: Brief) -> tuple[Completion, LanguageCheck | None]:
    """The provider's answer, language-checked; an answer in another language is asked for once more,
    with a firmer instruction (not from the offline writer: it is deterministic, a retry changes nothing)."""
    prompt = build_prompt(brief, max_tokens=provider.config.max_tokens, temperature=provider.config.temperature)
    completion: Completion = call_with_retry(partial(provider.complete, prompt))
    if not _checks_language(brief):
        return completion, None
    check = language_check(text=_post_part(completion.text), requested=brief.language)
    if check.matches or provider.offline:
        return completion, check
    firm = replace(brief, firm_language=True)
    firm_prompt = build_prompt(firm, max_tokens=provider.config.max_tokens, temperature=provider.config.temperature)
    retried: Completion = call_with_retry(partial(provider.complete, firm_prompt))
    retried = replace(
        retried,
        tokens_in=retried.tokens_in + completion.tokens_in,
        tokens_out=retried.tokens_out + completion.tokens_out,
    )
    return retried, language_check(text=_post_part(retried.text), requested=brief.language)


def _learned_fields(learned: PerformanceContext | None) -> dict[str, Any]:
    if learned is None:
        return {}
    return {"learned_from": learned.basis, "learned_guidance": list(learned.guidance)}


@dataclass(frozen=True)
class StreamEvent:
    """`start` (provider chosen), `delta` (text), `reset` (a provider failed mid-answer: clear), `done`."""

    kind: str
    text: str = ""
    outcome: GenerationOutcome | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _open_stream(provider: Provider, brief: Brief) -> tuple[StreamChunk, Iterator[StreamChunk]]:
    """Start a stream and read its first chunk, so retries cover everything before text reaches the user."""
    prompt = build_prompt(brief, max_tokens=provider.config.max_tokens, temperature=provider.config.temperature)

    def start() -> tuple[StreamChunk, Iterator[StreamChunk]]:
        chunks = iter(provider.generate(prompt, stream=True))
        first = next(chunks, None)
        if first is None:
            raise ProviderError(provider.name, "malformed response (empty stream)", retryable=False)
        return first, chunks

    return call_with_retry(start)


def stream_text(
    *, team: Any, user: Any, brief: Brief, preferred: str | None = None, regenerate: bool = False
) -> Iterator[StreamEvent]:
    """Like generate_text, as events while the text is written."""
    started = time.perf_counter()
    ahead = _read_ahead(team=team, brief=brief)
    brief, learned = brief_with_performance(brief, team=team, read_ahead=ahead)
    providers = providers_for(team=team, preferred=preferred, read_ahead=ahead)
    if not regenerate and (hit := _cached(providers, brief)):
        hit.latency_ms = _ms_since(started)
        _record(team=team, user=user, kind=brief.kind, outcome=hit, latency_ms=hit.latency_ms, attempts=[])
        yield StreamEvent(
            "start",
            data={
                "provider": hit.provider,
                "label": hit.provider_label,
                "model": hit.model,
                "offline": hit.offline,
                "cached": True,
            },
        )
        yield StreamEvent("delta", text=hit.text)
        yield StreamEvent("done", outcome=hit)
        return
    quota_consume(team=team, kind=QUOTA_KIND)
    attempts: list[dict[str, Any]] = []
    finished = False
    try:
        for provider in providers:
            breaker = CircuitBreaker(provider.name)
            if not breaker.allows():
                attempts.append({"provider": provider.name, "outcome": "circuit_open"})
                continue
            written: list[str] = []
            try:
                first, chunks = _open_stream(provider, brief)
                yield StreamEvent(
                    "start",
                    data={
                        "provider": provider.name,
                        "label": provider.label,
                        "model": provider.model,
                        "offline": provider.offline,
                        "cached": False,
                    },
                )
                last = first
                for chunk in _chain(first, chunks):
                    last = chunk
                    if chunk.delta:
                        written.append(chunk.delta)
                        yield StreamEvent("delta", text=chunk.delta)
                check = (
                    language_check(text=_post_part("".join(written)), requested=brief.language)
                    if _checks_language(brief)
                    else None
                )
                if check is not None and not check.matches and not provider.offline:
                    # Written in another language: once more, with a firmer instruction, in place of it.
                    yield StreamEvent("reset", data={"provider": provider.name, "reason": "language"})
                    tokens = (last.tokens_in, last.tokens_out)
                    written = []
                    first, chunks = _open_stream(provider, replace(brief, firm_language=True))
                    for chunk in _chain(first, chunks):
                        last = chunk
                        if chunk.delta:
                            written.append(chunk.delta)
                            yield StreamEvent("delta", text=chunk.delta)
                    last = replace(last, tokens_in=last.tokens_in + tokens[0], tokens_out=last.tokens_out + tokens[1])
                    check = language_check(text=_post_part("".join(written)), requested=brief.language)
            except ProviderError as exc:
                breaker.record_failure()
                attempts.append({"provider": provider.name, "outcome": "failed", "error": exc.message})
                if written:
                    yield StreamEvent("reset", data={"provider": provider.name})
                continue
            breaker.record_success()
            attempts.append({"provider": provider.name, "outcome": "answered"})
            outcome = GenerationOutcome(
                text="".join(written),
                provider=provider.name,
                provider_label=provider.label,
                model=last.model or provider.model,
                offline=provider.offline,
                tokens_in=last.tokens_in,
                tokens_out=last.tokens_out,
                latency_ms=_ms_since(started),
                charged=True,
                attempts=attempts,
                **language_fields(check, offline=provider.offline),
                **_learned_fields(learned),
            )
            _store(provider, brief, outcome)
            _record(
                team=team, user=user, kind=brief.kind, outcome=outcome, latency_ms=outcome.latency_ms, attempts=attempts
            )
            finished = True
            yield StreamEvent("done", outcome=outcome)
            return
    finally:
        if not finished:
            quota_release(team=team, kind=QUOTA_KIND)
    _record(
        team=team,
        user=user,
        kind=brief.kind,
        outcome=None,
        latency_ms=_ms_since(started),
        attempts=attempts,
        error_code="AI_PROVIDER_UNAVAILABLE",
    )
    raise _unavailable(providers)


def _chain(first: StreamChunk, rest: Iterator[StreamChunk]) -> Iterator[StreamChunk]:
    yield first
    yield from rest
