from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def percent(value: Any) -> str:
    try:
        return f"{float(value) * 100:.2f} %"
    except (TypeError, ValueError):
        return "-"


@register.filter
def percent0(value: Any) -> str:
    try:
        return f"{float(value) * 100:.0f} %"
    except (TypeError, ValueError):
        return "-"


@register.simple_tag
def change_badge(change: float | None) -> str:
    if change is None:
        return format_html('<span class="text-body-secondary">{}</span>', "no previous data")
    css = "text-success" if change > 0 else "text-danger" if change < 0 else "text-body-secondary"
    return format_html('<span class="{}">{}{} % vs previous</span>', css, "+" if change > 0 else "", change)
