"""Model output → what we return: parsed (post, hashtags, improvements), then fitted to the platform.

Whatever a provider answers, the text that leaves here fits the platform's limit and hashtag cap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from content import platform_rules
from content.prompts import IMPROVEMENTS_MARKER
from content.shortening import shorten_at_boundary

_TAG_LINE = re.compile(r"^\s*(?:[#＃][^\s#＃]+\s*)+$")
_MARKER_LINE = re.compile(r"^\s*(BEGIN|END)_DATA_\w*.*$", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


@dataclass(frozen=True)
class ShapedOutput:
    content: str
    hashtags: list[str]
    character_count: int
    character_limit: int
    improvements: list[str] = field(default_factory=list)


def _split_improvements(text: str) -> tuple[str, list[str]]:
    match = re.search(rf"(?im)^\s*\**{re.escape(IMPROVEMENTS_MARKER)}\**\s*$", text)
    if not match:
        return text, []
    lines = [_BULLET.sub("", line).strip() for line in text[match.end() :].splitlines()]
    return text[: match.start()], [line for line in lines if line]


def _clean(text: str) -> str:
    text = _MARKER_LINE.sub("", text).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        text = text[1:-1].strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _join(body: str, tags: list[str]) -> str:
    if not tags:
        return body
    return f"{body}\n\n{' '.join(tags)}" if body else " ".join(tags)


def fit_post(platform: str, body: str, tags: list[str], *, limit: int | None = None) -> str:
    """Body plus as many hashtags as fit; the body is cut (never the limit broken) when it alone is too long."""
    full = _join(body, tags)
    if platform_rules.fits(platform, full, limit=limit):
        return full
    max_chars = platform_rules.character_limit(platform, override=limit)
    for keep in range(len(tags), -1, -1):
        kept = tags[:keep]
        reserved = platform_rules.count_characters(platform, "\n\n" + " ".join(kept)) if kept else 0
        budget = max_chars - reserved
        if kept and budget < max_chars // 2:
            continue  # hashtags must not crowd out the post itself
        # At a sentence or clause boundary (a word boundary only as the last resort), never mid-word.
        cut = shorten_at_boundary(platform, body, limit=max(budget, 1))
        candidate = _join(cut, kept)
        if cut and platform_rules.fits(platform, candidate, limit=limit):
            return candidate
    return platform_rules.truncate_to_limit(platform, full, limit=limit)


def shape_output(
    *, kind: str, raw: str, platform: str, extra_hashtags: tuple[str, ...] = (), limit: int | None = None
) -> ShapedOutput:
    text, improvements = _split_improvements(raw)
    text = _clean(text)
    rule = platform_rules.rule_for(platform)
    if kind == "HASHTAGS":
        found = platform_rules.extract_hashtags(text) or [w for w in re.split(r"[\s,]+", text) if w]
        tags = platform_rules.limit_hashtags(platform, found + list(extra_hashtags))
        content = fit_post(platform, "", tags, limit=limit)
    else:
        lines = text.splitlines()
        trailing: list[str] = []
        while lines and (_TAG_LINE.match(lines[-1]) or not lines[-1].strip()):
            trailing = platform_rules.extract_hashtags(lines.pop()) + trailing
        body = "\n".join(lines).strip()
        inline = platform_rules.extract_hashtags(body)
        cap = rule.max_hashtags
        if cap is not None and len(inline) > cap:
            # Over the cap inside the sentence itself: keep the words, drop the extra '#'.
            for tag in inline[cap:]:
                body = re.sub(rf"(?<![\w#]){re.escape(tag)}(?!\w)", tag[1:], body)
            inline = inline[:cap]
        seen = {t.lower() for t in inline}
        tags = [
            t for t in platform_rules.limit_hashtags(platform, trailing + list(extra_hashtags)) if t.lower() not in seen
        ]
        if cap is not None:
            tags = tags[: max(0, cap - len(inline))]
        content = fit_post(platform, body, tags, limit=limit)
    return ShapedOutput(
        content=content,
        hashtags=platform_rules.extract_hashtags(content),
        character_count=platform_rules.count_characters(platform, content),
        character_limit=platform_rules.character_limit(platform, override=limit),
        improvements=improvements,
    )
