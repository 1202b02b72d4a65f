"""What a post puts on a platform: the one place its outgoing text is built.

The composer's preview, the save-time and publish-time moderation, the pre-publish checks and the
connectors all read `outgoing_for(post)` (or `outgoing_compose` for a draft not saved yet), so what
the author sees is byte for byte what the platform receives. Links stay where the author wrote
them in the body (as their short tracked link when the post tracks links); hashtags the body
already carries are never appended a second time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from content.platform_rules import HTTP_URL, extract_hashtags, normalize_hashtag

SHORT_LINK_PATH = "/l/"


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


def short_link_url(code: str) -> str:
    """A tracked link on our own domain (content.link_views.link_redirect answers it)."""
    return f"{settings.SITE_URL.rstrip('/')}{SHORT_LINK_PATH}{code}"


def _with_short_links(text: str, links: Mapping[str, str]) -> str:
    """Each link the author wrote that is tracked becomes its short link, wherever it appears."""
    if not links:
        return text
    return HTTP_URL.sub(lambda m: short_link_url(links[m.group(0)]) if m.group(0) in links else m.group(0), text)


def outgoing_compose(
    *, body: str, hashtags: Iterable[str] = (), first_comment: str = "", links: Mapping[str, str] | None = None
) -> Outgoing:
    """`links` maps a tracked link as written to its short code (see content.tracked_links)."""
    text = _with_short_links(normalize_newlines(body).strip(), links or {})
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
    comment = _with_short_links(normalize_newlines(first_comment).strip(), links or {})
    return Outgoing(text=text, first_comment=comment)


def first_comment_of(post: Any) -> str:
    """The optional first comment that follows the post (kept in the post's metadata)."""
    return str((post.metadata or {}).get("first_comment", "")).strip()


def tracked_links_of(post: Any) -> dict[str, str]:
    """The post's tracked links (as written → short code), kept in its metadata while tracking is on."""
    tracking = (post.metadata or {}).get("link_tracking") or {}
    links = tracking.get("links") if tracking.get("enabled") else None
    return {str(k): str(v) for k, v in links.items()} if isinstance(links, dict) else {}


def outgoing_for(post: Any) -> Outgoing:
    """The outgoing text of a saved post (a ContentPost, or anything with content/hashtags/metadata)."""
    return outgoing_compose(
        body=post.content,
        hashtags=post.hashtags or [],
        first_comment=first_comment_of(post),
        links=tracked_links_of(post),
    )
