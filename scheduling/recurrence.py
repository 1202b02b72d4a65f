"""RRULE recurrence evaluated in the schedule's own zone (09:00 stays 09:00 across DST)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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


RRULE_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def _every(freq: str, interval: int) -> str | None:
    if freq == "HOURLY":
        return ngettext("Every hour", "Every %(count)s hours", interval) % {"count": interval}
    if freq == "DAILY":
        return ngettext("Every day", "Every %(count)s days", interval) % {"count": interval}
    if freq == "WEEKLY":
        return ngettext("Every week", "Every %(count)s weeks", interval) % {"count": interval}
    if freq == "MONTHLY":
        return ngettext("Every month", "Every %(count)s months", interval) % {"count": interval}
    if freq == "YEARLY":
        return ngettext("Every year", "Every %(count)s years", interval) % {"count": interval}
    return None


def describe_rule(text: str) -> str:
    """A rule as a person reads it, in the active language: "Every 2 weeks on Monday, Thursday, 10 times".

    What it cannot say in words (BYSETPOS, BYMONTHDAY lists...) is shown as the rule itself, after
    "Custom rule:", never dropped: the words must not promise a different schedule from the rule.
    """
    body = text.strip().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        key, _sep, value = chunk.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    try:
        interval = int(parts.pop("INTERVAL", "1"))
    except ValueError:
        interval = 0
    days = [day for day in parts.pop("BYDAY", "").split(",") if day]
    count, until = parts.pop("COUNT", ""), parts.pop("UNTIL", "")
    parts.pop("WKST", None)
    freq = parts.pop("FREQ", "")
    every = _every(freq, interval) if interval > 0 else None
    if every is None or parts or any(day not in RRULE_DAYS for day in days):
        return _("Custom rule: %(rule)s") % {"rule": body}
    words = every
    if freq == "WEEKLY" and interval == 1 and days == ["MO", "TU", "WE", "TH", "FR"]:
        words = _("Every weekday")
    elif days:
        words = _("%(every)s on %(days)s") % {
            "every": every,
            "days": pgettext("list separator", ", ").join(str(WEEKDAYS[RRULE_DAYS[day]]) for day in days),
        }
    if count.isdigit():
        words = ngettext("%(rule)s, once", "%(rule)s, %(count)s times", int(count)) % {
            "rule": words,
            "count": int(count),
        }
    elif until[:8].isdigit():
        try:
            last = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        except ValueError:
            return _("Custom rule: %(rule)s") % {"rule": body}
        words = _("%(rule)s, until %(date)s") % {"rule": words, "date": formats.date_format(last, "DATE_FORMAT")}
    return words
