"""What a post puts on a platform: the one place its outgoing text is built.

The composer's preview, the save-time and publish-time moderation, the pre-publish checks and the
connectors all read `outgoing_for(post)` (or `outgoing_compose` for a draft not saved yet), so what
the author sees is byte for byte what the platform receives. Links stay where the author wrote
them in the body; hashtags the body already carries are never appended a second time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from content.platform_rules import extract_hashtags, normalize_hashtag


@dataclass(frozen=True)
class Outgoing:
    text: str  # the post itself: body, then the hashtags it does not already carry
    first_comment: str = ""  # posted right after, as a reply or comment, where the platform allows

    @property
    def moderated(self) -> str:
        """Everything a delivery puts on the platform, as moderation checks it."""
        return f"{self.text}\n\n{self.first_comment}" if self.first_comment else self.text


def hashtag_key(tag: str) -> str:
    """Platforms match hashtags without regard to case: #Lisbon and #lisbon are one tag."""
    return unicodedata.normalize("NFC", tag.lstrip("#＃")).casefold()


def normalize_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; platforms count and show one LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def outgoing_compose(*, body: str, hashtags: Iterable[str] = (), first_comment: str = "") -> Outgoing:
    text = normalize_newlines(body).strip()
    present = {hashtag_key(t) for t in extract_hashtags(text)}
    missing: list[str] = []
    for raw in hashtags:
        tag = normalize_hashtag(str(raw))
        if tag is None or hashtag_key(tag) in present:
            continue
        present.add(hashtag_key(tag))
        missing.append(tag)
    if missing:
        text = f"{text}\n\n{' '.join(missing)}" if text else " ".join(missing)
    return Outgoing(text=text, first_comment=normalize_newlines(first_comment).strip())


def first_comment_of(post: Any) -> str:
    """The optional first comment that follows the post (kept in the post's metadata)."""
    return str((post.metadata or {}).get("first_comment", "")).strip()


def outgoing_for(post: Any) -> Outgoing:
    """The outgoing text of a saved post (a ContentPost, or anything with content/hashtags/metadata)."""
    return outgoing_compose(body=post.content, hashtags=post.hashtags or [], first_comment=first_comment_of(post))
