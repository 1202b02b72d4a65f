"""Post text as a social timeline shows it: links and hashtags styled, line breaks kept."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_TOKEN = re.compile(r"(?P<url>https?://[^\s<]+[^\s<.,;:!?)\]'\"])|(?P<tag>(?<![\w&])[#@][\w-]*\w)")


@register.filter
def timeline_text(value: str) -> SafeString:
    def styled(match: re.Match[str]) -> str:
        if match.group("url"):
            url = match.group("url")  # already escaped with the rest of the text
            return f'<a href="{url}" rel="nofollow noopener" target="_blank">{url}</a>'
        return f'<span class="timeline-tag">{match.group("tag")}</span>'

    text = _TOKEN.sub(styled, escape(value or ""))
    return mark_safe(text.replace("\n", "<br>"))  # noqa: S308 - built from escaped text above
