"""`{{ post|outgoing_text }}`: the exact text a post sends, for every preview that shows a saved post."""

from __future__ import annotations

from typing import Any

from django import template

from content.outgoing import outgoing_for

register = template.Library()


@register.filter
def outgoing_text(post: Any) -> str:
    return outgoing_for(post).text
