from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

register = template.Library()

# What the page, the e-mails and the exports' readers call each metric (translated).
METRIC_LABELS = {
    "impressions": gettext_lazy("Impressions"),
    "views": gettext_lazy("Views"),
    "likes": gettext_lazy("Likes"),
    "comments": gettext_lazy("Comments"),
    "shares": gettext_lazy("Shares"),
    "clicks": gettext_lazy("Clicks"),
    "reach": gettext_lazy("Reach"),
    "engagement_rate": gettext_lazy("Engagement rate"),
    "engagements": gettext_lazy("Engagements"),
}


@register.filter
def metric_label(name: str) -> str:
    return str(METRIC_LABELS.get(name, str(name).replace("_", " ").capitalize()))


@register.filter
def language_label(code: str) -> str:
    """A post language's name in the reader's language ("es" reads "Spanish"); any other key as is."""
    try:
        return str(get_language_info(str(code).lower())["name_translated"])
    except KeyError:
        return str(code)


@register.filter
def platform_label(name: str) -> str:
    from analytics.metrics import platform_label as label

    return label(name)


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def percent(value: Any) -> str:
    try:
        # Locale-aware: 12.50 % in English, 12,50 % in Spanish and Arabic.
        return f"{number_format(round(float(value) * 100, 2), 2, use_l10n=True)} %"
    except (TypeError, ValueError):
        return "-"


@register.filter
def percent0(value: Any) -> str:
    try:
        return f"{number_format(round(float(value) * 100), 0, use_l10n=True)} %"
    except (TypeError, ValueError):
        return "-"


def points(value: Any) -> str:
    """A difference between two rates, in percentage points: 4 % to 5 % is +1 pp, not +1 % (that is +25 %)."""
    return _("%(amount)s pp") % {"amount": number_format(round(float(value) * 100, 2), 2, use_l10n=True)}


@register.simple_tag
def change_badge(change: float | None, kpi: dict | None = None, rate: bool = False) -> str:
    """The change against the previous period: absolute and percent (`kpi` from the dashboard's `kpis`).

    "no previous data" only when there is none; a previous period that gained nothing gives the
    absolute change alone (a percent of zero means nothing).
    """
    absolute = kpi.get("absolute") if isinstance(kpi, dict) else None
    if kpi is not None and kpi.get("previous") is None or kpi is None and change is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("no previous data"))
    sign_of = absolute if absolute is not None else change or 0
    css = "text-success" if sign_of > 0 else "text-danger" if sign_of < 0 else "text-body-secondary"
    parts = []
    if absolute is not None:
        amount = points(absolute) if rate else number_format(round(absolute), use_l10n=True, force_grouping=True)
        parts.append(("+" if absolute > 0 else "") + amount)
    if change is not None:
        parts.append("(" + ("+" if change > 0 else "") + number_format(change, use_l10n=True) + " %)")
    return format_html(
        '<span class="{}">{}</span>', css, _("%(change)s vs previous period") % {"change": " ".join(parts)}
    )


@register.filter
def iso_datetime(value: Any) -> Any:
    """An ISO 8601 string (as the A/B API gives slots) as a datetime, for the `date` filter."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
