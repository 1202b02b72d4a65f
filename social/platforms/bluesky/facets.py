"""Rich-text facets for app.bsky.feed.post: links, mentions and hashtags located by UTF-8 byte offsets.

Bluesky does not detect any of these itself. Offsets count bytes of the UTF-8 text (byteStart inclusive,
byteEnd exclusive), never Python or JavaScript string indices, and facets must not overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

_LINK = regex.compile(r"https?://[^\s<>\"]*[^\s<>\"\.,;:!?\)\]'}]")
_MENTION = regex.compile(
    r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+)"
)
_TAG = regex.compile(r"(?<![\w#&])[#＃]([^\s#＃]+)")
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
MAX_TAG_LENGTH = 64


@dataclass(frozen=True)
class Span:
    start: int  # str index, converted to bytes at the end
    end: int
    feature: dict[str, Any]


def _byte_index(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_spans(text: str, resolve_handle: Callable[[str], str | None]) -> list[Span]:
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for match in _LINK.finditer(text):
        spans.append(Span(match.start(), match.end(), {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}))
        taken.append((match.start(), match.end()))
    for match in _MENTION.finditer(text):
        if _overlaps((match.start(), match.end()), taken):
            continue
        did = resolve_handle(match.group(1).lower())
        if did:
            spans.append(Span(match.start(), match.end(), {"$type": "app.bsky.richtext.facet#mention", "did": did}))
            taken.append((match.start(), match.end()))
    for match in _TAG.finditer(text):
        tag = _TRAILING_PUNCTUATION.sub("", match.group(1))
        end = match.start() + 1 + len(tag)
        if not tag or tag.isdigit() or len(tag) > MAX_TAG_LENGTH or _overlaps((match.start(), end), taken):
            continue
        spans.append(Span(match.start(), end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag}))
        taken.append((match.start(), end))
    return sorted(spans, key=lambda span: span.start)


def build_facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict[str, Any]]:
    return [
        {
            "index": {"byteStart": _byte_index(text, span.start), "byteEnd": _byte_index(text, span.end)},
            "features": [span.feature],
        }
        for span in find_spans(text, resolve_handle)
    ]
