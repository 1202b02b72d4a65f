"""Anthropic (Claude) through the official SDK, its own retries off like OpenAI's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import anthropic as anthropic_sdk

from content.providers.base import (
    Completion,
    PromptSpec,
    Provider,
    ProviderError,
    StreamChunk,
    retry_after_seconds,
    status_is_retryable,
)
from content.providers.openai import estimate_tokens

T = TypeVar("T")


@lru_cache(maxsize=32)
def _client(api_key: str, base_url: str, timeout: float) -> anthropic_sdk.Anthropic:
    return anthropic_sdk.Anthropic(api_key=api_key, base_url=base_url or None, max_retries=0, timeout=timeout)


class AnthropicProvider(Provider):
    name = "anthropic"

    def client(self) -> anthropic_sdk.Anthropic:
        return _client(self.config.api_key, self.config.base_url, self.config.timeout)

    def _guard(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except anthropic_sdk.APITimeoutError as exc:
            raise ProviderError(self.name, "timed out", retryable=True) from exc
        except anthropic_sdk.APIConnectionError as exc:
            raise ProviderError(self.name, "connection failed", retryable=True) from exc
        except anthropic_sdk.APIStatusError as exc:
            # 529 "overloaded" is Anthropic's way of saying try again soon.
            raise ProviderError(
                self.name,
                f"HTTP {exc.status_code}",
                retryable=status_is_retryable(exc.status_code),
                status=exc.status_code,
                retry_after=retry_after_seconds(exc.response.headers),
            ) from exc
        except (anthropic_sdk.AnthropicError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise ProviderError(self.name, f"malformed response ({type(exc).__name__})", retryable=False) from exc

    def _params(self, prompt: PromptSpec) -> dict[str, Any]:
        # No temperature: the current Messages API (SDK 2.x) no longer takes one.
        return {
            "model": self.model,
            "max_tokens": prompt.max_tokens,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
        }

    def complete(self, prompt: PromptSpec) -> Completion:
        def call() -> Completion:
            message: Any = self.client().messages.create(**self._params(prompt))
            text = "".join(block.text for block in message.content if getattr(block, "type", "") == "text")
            if not text.strip():
                raise ValueError("no text block in the message")
            usage = message.usage
            return Completion(
                text=text,
                provider=self.name,
                model=str(message.model or self.model),
                tokens_in=int(usage.input_tokens or 0),
                tokens_out=int(usage.output_tokens or 0),
            )

        return self._guard(call)

    def stream(self, prompt: PromptSpec) -> Iterator[StreamChunk]:
        events: Any = self._guard(lambda: self.client().messages.create(stream=True, **self._params(prompt)))
        return self._chunks(events, prompt)

    def _chunks(self, events: Any, prompt: PromptSpec) -> Iterator[StreamChunk]:
        iterator = iter(events)
        written: list[str] = []
        tokens_in = tokens_out = 0
        model = self.model
        while True:
            event = self._guard(lambda: next(iterator, None))
            if event is None:
                break
            kind = getattr(event, "type", "")
            if kind == "message_start":
                model = event.message.model or model
                tokens_in = int(event.message.usage.input_tokens or 0)
            elif kind == "content_block_delta" and getattr(event.delta, "type", "") == "text_delta":
                written.append(event.delta.text)
                yield StreamChunk(delta=event.delta.text)
            elif kind == "message_delta" and getattr(event, "usage", None) is not None:
                tokens_out = int(event.usage.output_tokens or 0)
        if not written:
            raise ProviderError(self.name, "malformed response (empty stream)", retryable=False)
        yield StreamChunk(
            done=True,
            model=str(model),
            tokens_in=tokens_in or estimate_tokens(prompt.system + prompt.user),
            tokens_out=tokens_out or estimate_tokens("".join(written)),
        )
