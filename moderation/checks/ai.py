"""AI moderation through OpenAI's moderation endpoint (official SDK), when a key is configured.

A failure of the service never fails the request: the pipeline carries on with the local checks
and says so in an "info" reason, so the author and the audit log know the AI check did not run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_noop

from core.stored_messages import Message
from moderation.types import Reason

if TYPE_CHECKING:
    import openai

logger = logging.getLogger(__name__)


@dataclass
class AIVerdict:
    ran: bool
    reasons: list[Reason] = field(default_factory=list)
    categories: dict[str, bool] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


def ai_configured() -> bool:
    return bool(settings.MODERATION_AI_ENABLED and settings.MODERATION_OPENAI_API_KEY)


def _client() -> openai.OpenAI:
    # Imported on first use: importing the SDK at start-up disturbs the asyncio Redis channel layer
    # (teams' realtime test fails), and most processes never call the moderation endpoint.
    import openai

    # An httpx client of our own: the SDK accepts it, and tests can fake the HTTP layer with respx.
    return openai.OpenAI(
        api_key=settings.MODERATION_OPENAI_API_KEY,
        base_url=settings.MODERATION_OPENAI_BASE_URL or None,
        timeout=settings.MODERATION_AI_TIMEOUT,
        max_retries=1,
        # The SDK documents legacy httpx clients as supported; its stubs name only httpx2.
        http_client=httpx.Client(timeout=settings.MODERATION_AI_TIMEOUT),  # type: ignore[arg-type]
    )


def _cache_key(text: str) -> str:
    digest = hashlib.sha256(f"{settings.MODERATION_OPENAI_MODEL}\0{text}".encode()).hexdigest()
    return f"moderation:ai:{digest}"


def _classify(text: str) -> tuple[dict[str, bool], dict[str, float]]:
    key = _cache_key(text)
    cached = cache.get(key)
    if cached is not None:
        return cached["categories"], cached["scores"]
    client = _client()
    try:
        response = client.moderations.create(model=settings.MODERATION_OPENAI_MODEL, input=text)
    finally:
        client.close()
    result = response.results[0]
    categories = {k: bool(v) for k, v in result.categories.model_dump(by_alias=True, exclude_none=True).items()}
    scores = {k: float(v) for k, v in result.category_scores.model_dump(by_alias=True, exclude_none=True).items()}
    if result.flagged and not any(categories.values()):
        categories["flagged"] = True
    cache.set(key, {"categories": categories, "scores": scores}, settings.MODERATION_AI_CACHE_SECONDS)
    return categories, scores


def check_ai(text: str) -> AIVerdict:
    if not ai_configured() or not text.strip():
        return AIVerdict(ran=False)
    import openai

    try:
        categories, scores = _classify(text)
    except (openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
        logger.warning("AI moderation unavailable, local checks only: %s", type(exc).__name__)
        return AIVerdict(
            ran=False,
            reasons=[
                Reason(
                    check="ai",
                    code="ai_unavailable",
                    message=Message(
                        gettext_noop("The AI moderation service did not answer; only the local checks ran.")
                    ),
                    severity="info",
                )
            ],
        )
    return AIVerdict(ran=True, reasons=verdict_reasons(categories, scores), categories=categories, scores=scores)


def verdict_reasons(categories: dict[str, bool], scores: dict[str, float]) -> list[Reason]:
    """Block a severe flagged category or a very high score; flag anything the model flagged or scored high."""
    block_at = settings.MODERATION_AI_BLOCK_THRESHOLD
    flag_at = settings.MODERATION_AI_FLAG_THRESHOLD
    severe = set(settings.MODERATION_AI_BLOCK_CATEGORIES)
    reasons = []
    for name in sorted(set(categories) | set(scores)):
        score = scores.get(name, 0.0)
        flagged = categories.get(name, False)
        if (flagged and name in severe) or score >= block_at:
            severity = "block"
        elif flagged or score >= flag_at:
            severity = "flag"
        else:
            continue
        reasons.append(
            Reason(
                check="ai",
                code=f"ai_{name.replace('/', '_').replace('-', '_')}",
                message=Message(
                    gettext_noop("AI moderation: %(category)s (score %(score)s)."),
                    category=name.replace("/", " / "),
                    score=f"{score:.2f}",
                ),
                severity=severity,  # type: ignore[arg-type]
            )
        )
    return reasons


def ai_scores_summary(verdict: AIVerdict) -> dict[str, Any]:
    if not verdict.ran:
        return {}
    return {"categories": verdict.categories, "scores": verdict.scores}
