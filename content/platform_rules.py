"""Per-platform text rules: limits counted the way each platform counts, hashtag form, threads.

The figures live in `data/platform_rules.json` (one table shared by the AI writer and the social
connectors), because platforms change them; the counting methods live here.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

_DATA = Path(__file__).with_name("data") / "platform_rules.json"

# twitter-text v3: code points in these ranges weigh 1, everything else 2; an emoji sequence weighs 2.
_TWITTER_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = regex.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'}]")
# The links a platform sees in a text (scheme required): the ones link tracking may shorten.
HTTP_URL = regex.compile(r"(?i)\bhttps?://[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'}]")
_MASTODON_MENTION = regex.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w")
_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_HASHTAG = regex.compile(r"(?<![\w#])#([\p{L}\p{M}\p{N}_]+)")
_NOT_TAG_CHAR = regex.compile(r"[^\p{L}\p{M}\p{N}_]+")

ALIASES = {"x": "twitter"}


@dataclass(frozen=True)
class MediaRules:
    max_items: int
    image_types: tuple[str, ...]
    image_max_bytes: int
    video_types: tuple[str, ...]
    video_max_bytes: int
    video_min_seconds: float
    video_max_seconds: float
    aspect_min: float
    aspect_max: float
    requires_public_url: bool


@dataclass(frozen=True)
class PlatformRule:
    platform: str
    label: str
    max_chars: int
    counting: str
    url_length: int | None
    max_hashtags: int | None
    recommended_hashtags: int
    threads: bool
    media: MediaRules
    requires_media: bool = False
    max_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _load() -> dict[str, PlatformRule]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    rules: dict[str, PlatformRule] = {}
    for platform, spec in raw.items():
        if platform.startswith("_"):
            continue
        media = spec["media"]
        rules[platform] = PlatformRule(
            platform=platform,
            label=spec["label"],
            max_chars=spec["max_chars"],
            counting=spec["counting"],
            url_length=spec.get("url_length"),
            max_hashtags=spec.get("max_hashtags"),
            recommended_hashtags=spec["recommended_hashtags"],
            threads=spec["threads"],
            requires_media=spec.get("requires_media", False),
            max_bytes=spec.get("max_bytes"),
            media=MediaRules(
                max_items=media["max_items"],
                image_types=tuple(media["image_types"]),
                image_max_bytes=media["image_max_bytes"],
                video_types=tuple(media["video_types"]),
                video_max_bytes=media["video_max_bytes"],
                video_min_seconds=media["video_min_seconds"],
                video_max_seconds=media["video_max_seconds"],
                aspect_min=media["aspect_min"],
                aspect_max=media["aspect_max"],
                requires_public_url=media["requires_public_url"],
            ),
        )
    return rules


def platforms() -> list[str]:
    return list(_load())


def normalize_platform(name: str) -> str:
    key = (name or "").strip().lower()
    return ALIASES.get(key, key)


def rule_for(platform: str) -> PlatformRule:
    """The rules of a platform (`x` is an alias of `twitter`). KeyError for an unknown one."""
    return _load()[normalize_platform(platform)]


def _twitter_weight(text: str, url_length: int) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    last = 0
    for match in _URL.finditer(text):
        total += _twitter_plain_weight(text[last : match.start()])
        total += url_length
        last = match.end()
    return total + _twitter_plain_weight(text[last:])


def _twitter_plain_weight(text: str) -> int:
    total = 0
    for grapheme in _GRAPHEME.findall(text):
        if _EMOJI.search(grapheme):
            total += 2
            continue
        for char in grapheme:
            code = ord(char)
            total += 1 if any(lo <= code <= hi for lo, hi in _TWITTER_LIGHT_RANGES) else 2
    return total


def _mastodon_length(text: str, url_length: int) -> int:
    # URLs count as a fixed length; for a remote mention only "@username" counts.
    text = _URL.sub("x" * url_length, text)
    text = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), text)
    return len(text)


def count_characters(platform: str, text: str, *, max_chars: int | None = None) -> int:
    """Length of `text` as the platform counts it against its limit."""
    rule = rule_for(platform)
    if rule.counting == "twitter_weighted":
        return _twitter_weight(text, rule.url_length or 23)
    if rule.counting == "graphemes":
        return len(_GRAPHEME.findall(text))
    if rule.counting == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if rule.counting == "mastodon":
        return _mastodon_length(text, rule.url_length or 23)
    return len(text)


def character_limit(platform: str, *, override: int | None = None) -> int:
    """The platform's limit; a per-account override (a Mastodon instance's own) wins."""
    return override or rule_for(platform).max_chars


def fits(platform: str, text: str, *, limit: int | None = None) -> bool:
    rule = rule_for(platform)
    if rule.max_bytes is not None and len(text.encode("utf-8")) > rule.max_bytes:
        return False
    return count_characters(platform, text) <= character_limit(platform, override=limit)


def truncate_to_limit(platform: str, text: str, *, limit: int | None = None, ellipsis: str = "…") -> str:
    """The longest prefix (cut at a word boundary when possible) that fits, ending in an ellipsis."""
    if fits(platform, text, limit=limit):
        return text
    graphemes = _GRAPHEME.findall(text)
    lo, hi = 0, len(graphemes)
    while lo < hi:  # the largest n whose prefix + ellipsis fits
        mid = (lo + hi + 1) // 2
        if fits(platform, "".join(graphemes[:mid]).rstrip() + ellipsis, limit=limit):
            lo = mid
        else:
            hi = mid - 1
    prefix = "".join(graphemes[:lo])
    cut = prefix.rstrip()
    space = cut.rfind(" ")
    if space > len(cut) * 0.6:
        cut = cut[:space].rstrip()
    result = cut + ellipsis if cut else ""
    return result if fits(platform, result, limit=limit) else ""


def split_thread(platform: str, text: str, *, limit: int | None = None) -> list[str]:
    """Split long text into numbered parts that each fit, at sentence or word boundaries."""
    if fits(platform, text, limit=limit):
        return [text]
    words = text.split()
    parts: list[str] = []
    current = ""
    reserve = " (99/99)"
    for word in words:
        candidate = f"{current} {word}".strip()
        if fits(platform, candidate + reserve, limit=limit):
            current = candidate
            continue
        if current:
            parts.append(current)
        current = word
        while not fits(platform, current + reserve, limit=limit):
            # A single word longer than a whole part: hard-cut it.
            head = truncate_to_limit(platform, current + reserve, limit=limit, ellipsis="")
            head = head[: max(1, len(head) - len(reserve))]
            parts.append(head)
            current = current[len(head) :]
    if current:
        parts.append(current)
    total = len(parts)
    return [f"{part} ({i}/{total})" for i, part in enumerate(parts, start=1)]


def normalize_hashtag(tag: str) -> str | None:
    """`#Summer Sale!` → `#SummerSale`; Unicode letters kept (`#مرحبا`, `#東京`). None if nothing is left."""
    body = _NOT_TAG_CHAR.sub("", unicodedata.normalize("NFC", tag.lstrip("#＃ ")))
    if not body or body.isdigit():
        return None
    return f"#{body}"


def extract_hashtags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for match in _HASHTAG.finditer(text):
        tag = f"#{match.group(1)}"
        seen.setdefault(tag.lower(), tag)
    return list(seen.values())


def limit_hashtags(platform: str, tags: list[str]) -> list[str]:
    """Normalised, de-duplicated, capped at the platform's maximum."""
    rule = rule_for(platform)
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        norm = normalize_hashtag(tag)
        if norm and norm.lower() not in seen:
            seen.add(norm.lower())
            out.append(norm)
    if rule.max_hashtags is not None:
        out = out[: rule.max_hashtags]
    return out
