"""Shorten a text to a platform's limit at a sentence or clause boundary, never inside a word.

Whole sentences are kept while they fit; when even the first sentence is too long it is cut after its
last clause that fits (a comma, semicolon, colon or dash, in any script) and marked with an ellipsis;
only a sentence with no clause that fits is cut at a word boundary.
"""

from __future__ import annotations

import regex

from content import platform_rules

ELLIPSIS = "…"
# A sentence ends at . ! ? (and their Arabic and CJK forms) or an ellipsis, followed by space.
_SENTENCE_BREAK = regex.compile(r"(?<=[.!?؟。！？…])\s+|\n+")
_CLAUSE_BREAK = regex.compile(r"[,;:،؛]\s+|\s+[—–-]\s+")


def _fits(platform: str, text: str, limit: int | None) -> bool:
    return platform_rules.fits(platform, text, limit=limit)


def _sentence_spans(text: str) -> list[int]:
    """End offsets of each sentence (without the whitespace after it)."""
    ends = [m.start() for m in _SENTENCE_BREAK.finditer(text)]
    return [e for e in ends if e > 0] + [len(text.rstrip())]


def shorten_at_boundary(platform: str, text: str, *, limit: int | None = None) -> str:
    text = text.strip()
    if _fits(platform, text, limit):
        return text
    best = ""
    for end in _sentence_spans(text):
        candidate = text[:end].rstrip()
        if _fits(platform, candidate, limit):
            best = candidate
        else:
            break
    if best:
        return best
    first_end = _sentence_spans(text)[0]
    sentence = text[:first_end]
    for match in reversed(list(_CLAUSE_BREAK.finditer(sentence))):
        candidate = sentence[: match.start()].rstrip() + ELLIPSIS
        if _fits(platform, candidate, limit):
            return candidate
    words = sentence.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:،؛—–- ") + ELLIPSIS
        if _fits(platform, candidate, limit):
            return candidate
    return ""
