"""Wall-clock time in IANA zones: conversions that survive DST gaps and folds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.api.errors import ValidationFailed


def zone(name: str) -> ZoneInfo:
    """The zone, or a 400 naming the field."""
    try:
        if not name or name not in _known_zones():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            f"Unknown time zone {name!r}.", details={"timezone": ["Use an IANA zone such as Europe/London."]}
        ) from exc


_ZONES: frozenset[str] | None = None


def _known_zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES


def local_to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive wall-clock time in `tz` as an aware UTC instant.

    In a DST gap (02:30 on a spring-forward night does not exist) the time moves forward by the
    gap, as calendars do; in a fold (01:30 happens twice) the first occurrence is taken.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    aware = local.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local:  # nonexistent: shift by the gap
        gap = aware.replace(fold=1).utcoffset() - aware.replace(fold=0).utcoffset()  # type: ignore[operator]
        aware = (local + abs(gap or timedelta(hours=1))).replace(tzinfo=tz)
    return aware.astimezone(UTC)


def wall_clock_to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A time a person typed, as an aware UTC instant; a wall-clock time that does not exist in `tz`
    (the hour skipped when the clocks go forward) is refused rather than moved.

    Recurrences and queue slots move such a time by the gap (`local_to_utc`); a one-off schedule
    asks again, so the post never goes out at an hour nobody picked.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    aware = local.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local:
        raise ValidationFailed(
            f"{local:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks go forward then.",
            details={"scheduledAt": ["Pick a time outside the daylight-saving change."]},
        )
    return aware.astimezone(UTC)


def utc_to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """Aware UTC → naive wall-clock time in `tz`."""
    return instant.astimezone(tz).replace(tzinfo=None)


def parse_instant(value: str | datetime, tz: ZoneInfo) -> datetime:
    """An ISO 8601 time: with an offset it is that instant; without, wall-clock time in `tz` (a time
    inside a DST gap is refused, see `wall_clock_to_utc`)."""
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationFailed(
                "scheduledAt is not an ISO 8601 date-time.", details={"scheduledAt": ["Use e.g. 2026-12-01T09:00:00Z."]}
            ) from exc
    return wall_clock_to_utc(parsed, tz)
