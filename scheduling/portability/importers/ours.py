"""Our own posts.csv (the posts file of a CSV export): every column of the export is accepted;
only `content` is required. `scheduled_at` with `timezone` and `accounts` (handles joined by "|")
schedule the post again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from scheduling.portability.importers.base import (
    ImportRow,
    Parsed,
    RowError,
    date_problem,
    dict_rows,
    hashtags_of,
    instant,
    platform_of,
)
from scheduling.timeutils import zone


def parse(text: str, *, tz: ZoneInfo) -> Parsed:
    header, records = dict_rows(text)
    parsed = Parsed()
    if "content" not in header:
        parsed.errors.append(RowError(1, "content", "The header has no content column."))
        return parsed
    for number, raw in records:
        values = {k: (v if k in ("content", "title") else v.strip()) for k, v in raw.items()}
        errors: list[RowError] = []
        platform = platform_of(values.get("platform", ""))
        if platform is None:
            errors.append(RowError(number, "platform", f"Unknown platform {values.get('platform')!r}."))
        row_zone, zone_name = tz, values.get("timezone", "")
        if zone_name:
            try:
                row_zone = zone(zone_name)
            except Exception:  # noqa: BLE001  (ValidationFailed: reported per row)
                errors.append(RowError(number, "timezone", f"Unknown time zone {zone_name!r}."))
        scheduled_at = None
        if values.get("scheduled_at"):
            try:
                scheduled_at = instant(values["scheduled_at"], row_zone)
            except ValueError as exc:
                errors.append(RowError(number, "scheduled_at", date_problem(exc, "Not an ISO 8601 date-time.")))
        if not values.get("content", "").strip():
            errors.append(RowError(number, "content", "Content is empty."))
        if errors:
            parsed.errors.extend(errors)
            continue
        parsed.rows.append(
            ImportRow(
                number=number,
                content=values["content"],
                title=values.get("title", ""),
                hashtags=hashtags_of(values.get("hashtags", "")),
                platform=platform or "",
                tone=values.get("tone", ""),
                audience=values.get("audience", ""),
                scheduled_at=scheduled_at,
                timezone=zone_name,
                accounts=[a for a in values.get("accounts", "").split("|") if a],
            )
        )
    return parsed
