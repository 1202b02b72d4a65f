"""The composer's post card: the outgoing text as the platform shows it in a feed.

Links and hashtags are styled, line breaks kept, and the text is cut where the platform folds a
long post behind "see more" (figures observed in each platform's feed on a desktop browser; a
platform missing here shows the whole post).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = regex.compile(
    r"(?P<url>(?i:\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'}]))|(?P<tag>(?<![\w#])#[\p{L}\p{M}\p{N}_]+)"
)

# Characters a feed shows before folding the rest behind "see more".
SEE_MORE_AT = {"linkedin": 210, "facebook": 480, "instagram": 125, "tiktok": 150}


@dataclass(frozen=True)
class PreviewCard:
    visible_html: SafeString
    more_html: SafeString  # empty when the platform shows the whole post
    text: str  # the exact outgoing text, for the card's copy button and tests

    @property
    def folded(self) -> bool:
        return bool(self.more_html)


def styled(text: str) -> SafeString:
    """Escaped text with links and hashtags wrapped for styling and line breaks as <br>."""
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(escape(text[last : match.start()]))
        value = escape(match.group(0))
        if match.group("url"):
            out.append(f'<span class="pv-link">{value}</span>')
        else:
            out.append(f'<span class="pv-tag">{value}</span>')
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped above


def fold_point(platform: str, text: str) -> int | None:
    """Where the feed folds the text: at the last space before the platform's cut, never inside a word."""
    limit = SEE_MORE_AT.get(platform)
    if limit is None or len(text) <= limit:
        return None
    space = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
    return space if space > 0 else limit


def preview_card(*, platform: str, text: str) -> PreviewCard:
    cut = fold_point(platform, text)
    if cut is None:
        return PreviewCard(visible_html=styled(text), more_html=mark_safe(""), text=text)  # noqa: S308
    return PreviewCard(visible_html=styled(text[:cut]), more_html=styled(text[cut:]), text=text)
