"""Any server that speaks the OpenAI chat API at its own base URL: Gemini's OpenAI endpoint, Ollama, vLLM, LM Studio."""

from __future__ import annotations

from content.providers.base import ProviderSettings
from content.providers.openai import OpenAIProvider


class OpenAICompatibleProvider(OpenAIProvider):
    name = "openai_compatible"
    limit_param = "max_tokens"
    # Not every compatible server accepts stream_options; usage is estimated when absent.
    stream_usage = False

    @classmethod
    def is_configured(cls, config: ProviderSettings) -> bool:
        # Local servers (Ollama, vLLM) often need no key, only a URL.
        return bool(config.base_url)
