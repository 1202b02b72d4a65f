"""LinkedIn's "little" text format for Posts API commentary.

An unescaped reserved character makes LinkedIn silently cut the post at that point, so every one is
backslash-escaped, except the `#` that starts a hashtag: a HashtagElement is written `#tag`.
"""

from __future__ import annotations

import re

RESERVED = frozenset("\\|{}@[]()<>#*_~")
# A hashtag starts at the beginning or after a non-word character, and its body is letters and digits.
_HASHTAG = re.compile(r"(?<!\w)#([^\W_]+)")


def _escape_plain(text: str) -> str:
    return "".join("\\" + char if char in RESERVED else char for char in text)


def escape_commentary(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _HASHTAG.finditer(text):
        parts.append(_escape_plain(text[last : match.start()]))
        parts.append("#" + match.group(1))
        last = match.end()
    parts.append(_escape_plain(text[last:]))
    return "".join(parts)


def unescape_commentary(text: str) -> str:
    """The plain text a reader sees (used to compare read-back commentary with what we sent)."""
    return re.sub(r"\\(.)", lambda m: m.group(1) if m.group(1) in RESERVED else m.group(0), text, flags=re.DOTALL)
