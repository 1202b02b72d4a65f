"""OpenAI through the official SDK. The SDK's own retries are off: `content.resilience` retries and falls back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import openai as openai_sdk

from content.providers.base import (
    Completion,
    PromptSpec,
    Provider,
    ProviderError,
    StreamChunk,
    retry_after_seconds,
    status_is_retryable,
)

T = TypeVar("T")


@lru_cache(maxsize=32)
def _client(api_key: str, base_url: str, timeout: float) -> openai_sdk.OpenAI:
    # One client (and its connection pool) per configuration, reused across requests.
    return openai_sdk.OpenAI(api_key=api_key or "unused", base_url=base_url or None, max_retries=0, timeout=timeout)


def estimate_tokens(text: str) -> int:
    """About four characters a token: used only when a server reports no usage."""
    return max(1, len(text) // 4) if text else 0


class OpenAIProvider(Provider):
    name = "openai"
    # OpenAI's own API wants max_completion_tokens (reasoning models refuse max_tokens);
    # many compatible servers only know max_tokens.
    limit_param = "max_completion_tokens"
    stream_usage = True

    def client(self) -> openai_sdk.OpenAI:
        return _client(self.config.api_key, self.config.base_url, self.config.timeout)

    def _messages(self, prompt: PromptSpec) -> list[dict[str, str]]:
        return [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]

    def _guard(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except openai_sdk.APITimeoutError as exc:
            raise ProviderError(self.name, "timed out", retryable=True) from exc
        except openai_sdk.APIConnectionError as exc:
            raise ProviderError(self.name, "connection failed", retryable=True) from exc
        except openai_sdk.APIStatusError as exc:
            raise ProviderError(
                self.name,
                f"HTTP {exc.status_code}",
                retryable=status_is_retryable(exc.status_code),
                status=exc.status_code,
                retry_after=retry_after_seconds(exc.response.headers),
            ) from exc
        except (openai_sdk.OpenAIError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise ProviderError(self.name, f"malformed response ({type(exc).__name__})", retryable=False) from exc

    def complete(self, prompt: PromptSpec) -> Completion:
        def call() -> Completion:
            response: Any = self.client().chat.completions.create(  # type: ignore[call-overload]
                model=self.model,
                messages=self._messages(prompt),  # type: ignore[arg-type]
                temperature=prompt.temperature,
                **{self.limit_param: prompt.max_tokens},
            )
            text = response.choices[0].message.content
            if not isinstance(text, str) or not text.strip():
                raise ValueError("no text in the first choice")
            usage = getattr(response, "usage", None)
            return Completion(
                text=text,
                provider=self.name,
                model=str(getattr(response, "model", None) or self.model),
                tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0) or estimate_tokens(prompt.system + prompt.user),
                tokens_out=int(getattr(usage, "completion_tokens", 0) or 0) or estimate_tokens(text),
            )

        return self._guard(call)

    def stream(self, prompt: PromptSpec) -> Iterator[StreamChunk]:
        extra: dict[str, Any] = {self.limit_param: prompt.max_tokens}
        if self.stream_usage:
            extra["stream_options"] = {"include_usage": True}
        events: Any = self._guard(
            lambda: self.client().chat.completions.create(  # type: ignore[call-overload]
                model=self.model,
                messages=self._messages(prompt),  # type: ignore[arg-type]
                temperature=prompt.temperature,
                stream=True,
                **extra,
            )
        )
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
            model = getattr(event, "model", None) or model
            usage = getattr(event, "usage", None)
            if usage is not None:
                tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
                tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
            for choice in getattr(event, "choices", None) or []:
                delta = getattr(getattr(choice, "delta", None), "content", None)
                if isinstance(delta, str) and delta:
                    written.append(delta)
                    yield StreamChunk(delta=delta)
        if not written:
            raise ProviderError(self.name, "malformed response (empty stream)", retryable=False)
        text = "".join(written)
        yield StreamChunk(
            done=True,
            model=str(model),
            tokens_in=tokens_in or estimate_tokens(prompt.system + prompt.user),
            tokens_out=tokens_out or estimate_tokens(text),
        )
