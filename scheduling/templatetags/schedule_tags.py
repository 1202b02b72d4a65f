"""One word per schedule state, the same word the posts use: a completed schedule is "Published"."""

from __future__ import annotations

from django import template
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
