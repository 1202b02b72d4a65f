"""The one interface every AI provider implements, and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Literal, overload

from django.utils import timezone


@dataclass(frozen=True)
class Brief:
    """What the user asked for, structured, so a provider that does not read prose (offline) can work too."""

    kind: str  # CAPTION | HASHTAGS | OPTIMIZATION | TRANSLATION
    topic: str
    platform: str
    tone: str = "professional"
    audience: str = ""
    language: str = "en"
    brand_name: str = ""
    brand_voice: str = ""
    words_to_use: tuple[str, ...] = ()
    words_to_avoid: tuple[str, ...] = ()
    example_posts: tuple[str, ...] = ()
    default_hashtags: tuple[str, ...] = ()
    template_body: str = ""
    source_text: str = ""  # the post to optimise or translate
    optimization_type: str = ""
    variant: int = 0
    # Set on the one retry after an answer came back in another language: the prompt insists.
    firm_language: bool = False
    # What the team's published results taught (spec 10.1): its best posts on this platform, as style
    # examples, and what its engagement model found matters most, as guidance. Empty without history.
    performance_examples: tuple[str, ...] = ()
    performance_guidance: tuple[str, ...] = ()


@dataclass(frozen=True)
class PromptSpec:
    system: str
    user: str
    brief: Brief
    max_tokens: int = 800
    temperature: float = 0.7


@dataclass(frozen=True)
class Completion:
    text: str
    provider: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass(frozen=True)
class StreamChunk:
    """A piece of streamed text; the last chunk of a stream carries the usage instead (`done`)."""

    delta: str = ""
    done: bool = False
    tokens_in: int = 0
    tokens_out: int = 0
    model: str = ""


class ProviderError(Exception):
    """A provider call failed. `retryable` (429, 5xx, timeouts) lets the caller retry the same provider."""

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


@dataclass
class ProviderSettings:
    name: str
    model: str
    max_tokens: int
    temperature: float
    priority: int
    api_key: str = ""
    base_url: str = ""
    is_active: bool = True
    timeout: float = 30.0
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Provider(ABC):
    name: str = ""
    offline: bool = False

    def __init__(self, config: ProviderSettings) -> None:
        self.config = config

    @property
    def model(self) -> str:
        return self.config.model

    @property
    def label(self) -> str:
        return self.config.label or self.name

    @classmethod
    def is_configured(cls, config: ProviderSettings) -> bool:
        """Whether the provider can be called at all (a key, a URL)."""
        return bool(config.api_key)

    @overload
    def generate(self, prompt: PromptSpec, *, stream: Literal[False] = ...) -> Completion: ...
    @overload
    def generate(self, prompt: PromptSpec, *, stream: Literal[True]) -> Iterator[StreamChunk]: ...

    def generate(self, prompt: PromptSpec, *, stream: bool = False) -> Completion | Iterator[StreamChunk]:
        if stream:
            return self.stream(prompt)
        return self.complete(prompt)

    @abstractmethod
    def complete(self, prompt: PromptSpec) -> Completion: ...

    @abstractmethod
    def stream(self, prompt: PromptSpec) -> Iterator[StreamChunk]: ...


def retry_after_seconds(headers: Any) -> float | None:
    """Retry-After (seconds or an HTTP date) or retry-after-ms, as seconds; None when absent or garbled."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


def status_is_retryable(status: int | None) -> bool:
    return status is not None and (status == 429 or status == 408 or status >= 500)
