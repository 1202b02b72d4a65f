"""One word per schedule state, the same word the posts use: a completed schedule is "Published";
and a schedule's calendar chip."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scheduling.recurrence import describe_rule

register = template.Library()

STATUS_WORDS = {
    "PENDING": _("Scheduled"),
    "PROCESSING": _("Publishing"),
    "COMPLETED": _("Published"),
    "FAILED": _("Failed"),
    "CANCELLED": _("Cancelled"),
}


def status_choices() -> list[tuple[str, str]]:
    return [(value, str(word)) for value, word in STATUS_WORDS.items()]


@register.filter
def status_word(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@register.filter
def rule_words(rule: str) -> str:
    """A recurrence rule in words ("Every week on Monday"), scheduling.recurrence.describe_rule."""
    return describe_rule(rule)


CHIP = (
    '<div class="calendar-chip platform-{platform} status-{state}"{draggable} data-schedule-id="{pk}"'
    ' data-local-time="{time}" title="{title}" data-testid="chip">\n'
    '  <span class="chip-time">{time}{repeats}</span>\n'
    '  <span class="chip-text" dir="auto">{text}</span>\n'
    '  <span class="status-badge status-{state}">{word}</span>\n'
    "  {retry}\n"
    "</div>"
)
REPEATS = ' <span title="{}" data-testid="chip-repeats">↻</span>'
DRAGGABLE = mark_safe(' draggable="true"')  # a pending chip the viewer may move


@register.simple_tag(takes_context=True)
def calendar_chip(context: Context, row) -> SafeString:
    """One schedule on the calendar (month and week grids, an opened day): its local time, the start of
    its text, its state, and a retry button when it failed. Built here rather than by an {% include %}
    per chip, which was most of a busy month's rendering; `row` carries local_time, chip_text and
    chip_title (scheduling.views._with_local_time)."""
    can_publish = context.get("can_publish")
    retry = ""
    if row.status == "FAILED" and can_publish and context.template is not None:
        with context.push(row=row):
            retry = context.template.engine.get_template("scheduling/partials/retry_button.html").render(context)
    return format_html(
        CHIP,
        platform=row.platform,
        state=row.status.lower(),
        draggable=DRAGGABLE if row.status == "PENDING" and can_publish else "",
        pk=row.pk,
        time=row.local_time,
        title=row.chip_title,
        repeats=format_html(REPEATS, gettext("Repeats")) if row.recurrence_id else "",
        text=row.chip_text,
        word=status_word(row.status),
        retry=retry,
    )


MORE = (
    '<a class="calendar-more" href="{url}" hx-get="{url}" hx-target="#calendar-day" hx-swap="innerHTML"'
    ' aria-label="{label}" data-testid="more-{iso}">{text}</a>'
)


@register.simple_tag(takes_context=True)
def calendar_more(context: Context, day: dict) -> SafeString:
    """A busy day's "+N more" link, opening the day (scheduling.views.calendar_day) with the same filters;
    the day carries iso, more_text and more_label (scheduling.views.calendar)."""
    query = context.get("filter_query")
    url = f"{context['day_url']}?date={day['iso']}" + (f"&{query}" if query else "")
    return format_html(MORE, url=url, label=day["more_label"], iso=day["iso"], text=day["more_text"])
