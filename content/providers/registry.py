"""Which providers a team may use, in which order: env defaults, then admin rows, then the team's own rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext_lazy

from content.models import AIProviderConfig
from content.providers.anthropic import AnthropicProvider
from content.providers.base import Provider, ProviderSettings
from content.providers.config_rows import config_rows
from content.providers.offline import OfflineProvider
from content.providers.openai import OpenAIProvider
from content.providers.openai_compatible import OpenAICompatibleProvider

PROVIDER_CLASSES: dict[str, type[Provider]] = {
    "openai": OpenAIProvider,
    "anthropic": AnthropicProvider,
    "openai_compatible": OpenAICompatibleProvider,
    "offline": OfflineProvider,
}
# The spec's AIProvider names (OPENAI, CLAUDE, GEMINI) and friendly ones, as clients may send them.
ALIASES = {
    "openai": "openai",
    "gpt": "openai",
    "anthropic": "anthropic",
    "claude": "anthropic",
    "gemini": "openai_compatible",
    "openai_compatible": "openai_compatible",
    "compatible": "openai_compatible",
    "ollama": "openai_compatible",
    "vllm": "openai_compatible",
    "offline": "offline",
}


def canonical_name(name: str) -> str | None:
    return ALIASES.get((name or "").strip().lower().replace("-", "_"))


def env_settings() -> dict[str, ProviderSettings]:
    """Each provider as the environment configures it; priority is its place in AI_PROVIDER_PRIORITY."""
    order = [canonical_name(n) for n in settings.AI_PROVIDER_PRIORITY]
    common: dict[str, Any] = {
        "max_tokens": settings.AI_MAX_TOKENS,
        "temperature": settings.AI_TEMPERATURE,
        "timeout": settings.AI_REQUEST_TIMEOUT,
    }
    configs = {
        "openai": ProviderSettings(
            name="openai",
            model=settings.OPENAI_MODEL,
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL,
            priority=0,
            label="OpenAI",
            **common,
        ),
        "anthropic": ProviderSettings(
            name="anthropic",
            model=settings.ANTHROPIC_MODEL,
            api_key=settings.ANTHROPIC_API_KEY,
            base_url=settings.ANTHROPIC_BASE_URL,
            priority=0,
            label="Anthropic",
            **common,
        ),
        "openai_compatible": ProviderSettings(
            name="openai_compatible",
            model=settings.AI_COMPAT_MODEL,
            api_key=settings.AI_COMPAT_API_KEY,
            base_url=settings.AI_COMPAT_BASE_URL,
            priority=0,
            label=settings.AI_COMPAT_LABEL,
            **common,
        ),
        # the offline writer is named in the reader's language (the others are brand names)
        "offline": ProviderSettings(
            name="offline", model="offline-writer-1", priority=0, label=cast(str, gettext_lazy("Offline")), **common
        ),
    }
    for name, config in configs.items():
        config.priority = order.index(name) if name in order else 1000
        config.is_active = name in order
    return configs


def _overlay(config: ProviderSettings, row: AIProviderConfig) -> ProviderSettings:
    return replace(
        config,
        model=row.model or config.model,
        max_tokens=row.max_tokens or config.max_tokens,
        temperature=config.temperature if row.temperature is None else row.temperature,
        priority=config.priority if row.priority is None else row.priority,
        is_active=row.is_active,
        api_key=row.api_key or config.api_key,
        base_url=row.base_url or config.base_url,
    )


def provider_settings_for(*, team: Any | None, read_ahead: Mapping[str, Any] | None = None) -> list[ProviderSettings]:
    """Every usable provider's settings for a team, by priority (the env read now, the rows per version).
    `read_ahead`: cache values the caller already has (config_rows.config_version)."""
    configs = env_settings()
    for row in config_rows(team, read_ahead=read_ahead):
        if row.name in configs:
            configs[row.name] = _overlay(configs[row.name], row)
    usable = [c for c in configs.values() if c.is_active and PROVIDER_CLASSES[c.name].is_configured(c)]
    return sorted(usable, key=lambda c: (c.priority, c.name))


def providers_for(
    *, team: Any | None, preferred: str | None = None, read_ahead: Mapping[str, Any] | None = None
) -> list[Provider]:
    """The providers to try, in order; a preferred one (the request's aiProvider) goes first when usable."""
    providers = [PROVIDER_CLASSES[c.name](c) for c in provider_settings_for(team=team, read_ahead=read_ahead)]
    wanted = canonical_name(preferred or "")
    if wanted:
        providers.sort(key=lambda p: p.name != wanted)
    return providers
