"""The offline writer's phrase library, one module per language.

None of these phrases carries the topic: the writer states the topic once, in a sentence of its own
(or as the head of a noun-phrase frame), so it is never pasted into a phrase it does not fit.
Placeholders: {audience} (only in `audience_lines`, always first in the sentence), {topic} (only in
`np_frames`, always first), {brand}, {words} (in `brand_line`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

TONES = ("professional", "casual", "fun", "viral", "inspirational", "informative")
TONE_ALIASES = {
    "formal": "professional",
    "business": "professional",
    "authoritative": "professional",
    "friendly": "casual",
    "conversational": "casual",
    "warm": "casual",
    "empathetic": "casual",
    "playful": "fun",
    "witty": "fun",
    "humorous": "fun",
    "funny": "fun",
    "bold": "viral",
    "urgent": "viral",
    "exciting": "viral",
    "provocative": "viral",
    "motivational": "inspirational",
    "uplifting": "inspirational",
    "educational": "informative",
    "technical": "informative",
    "neutral": "informative",
}
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})
OFFLINE_LANGUAGES = ("en", "es", "fr", "de", "ar", "he", "pt", "it")


@dataclass(frozen=True)
class Phrases:
    hooks: dict[str, tuple[str, ...]]
    bodies: dict[str, tuple[str, ...]]
    ctas: dict[str, tuple[str, ...]]
    audience_lines: tuple[str, ...]
    np_frames: tuple[str, ...]
    brand_line: str


def canonical_tone(tone: str) -> str:
    key = (tone or "").strip().lower()
    return key if key in TONES else TONE_ALIASES.get(key, "professional")


def phrases_for(language: str) -> Phrases:
    code = (language or "en").split("-")[0].lower()
    module = import_module(f"{__name__}.{code if code in OFFLINE_LANGUAGES else 'en'}")
    phrases: Phrases = module.PHRASES
    return phrases
