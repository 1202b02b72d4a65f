"""RRULE recurrence evaluated in the schedule's own zone (09:00 stays 09:00 across DST)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from core.api.errors import ValidationFailed
from scheduling.timeutils import local_to_utc, utc_to_local

MAX_OCCURRENCES_PER_CALL = 500


def parse_rule(text: str, start_local: datetime) -> rrule:
    """The RRULE anchored at a naive local start; 400 when it does not parse or never recurs."""
    body = text.strip().removeprefix("RRULE:")
    if not body or "DTSTART" in body.upper():
        raise ValidationFailed("Give an RRULE such as FREQ=WEEKLY;BYDAY=MO.", details={"rrule": ["Invalid rule."]})
    try:
        rule = rrulestr(body, dtstart=start_local.replace(tzinfo=None), forceset=False)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(f"Invalid RRULE: {exc}", details={"rrule": [str(exc)]}) from exc
    if not isinstance(rule, rrule):
        raise ValidationFailed("Give a single RRULE.", details={"rrule": ["Only one rule is supported."]})
    if rule._freq is not None and rule._freq > 3:  # MINUTELY/SECONDLY recurrences are abuse, not posting
        raise ValidationFailed("Recurrence finer than hourly is not allowed.", details={"rrule": ["Too frequent."]})
    return rule


def occurrences_between(
    text: str, start_local: datetime, tz: ZoneInfo, after_utc: datetime, before_utc: datetime
) -> Iterator[datetime]:
    """UTC instants of the series in (after_utc, before_utc], computed on wall-clock time."""
    rule = parse_rule(text, start_local)
    after_local = utc_to_local(after_utc, tz)
    produced = 0
    for local in rule.xafter(after_local, inc=False):
        instant = local_to_utc(local, tz)
        if instant > before_utc:
            return
        if instant > after_utc:
            yield instant
            produced += 1
            if produced >= MAX_OCCURRENCES_PER_CALL:
                return
