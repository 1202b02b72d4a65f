"""Buffer-style CSV: a header row, then one post per row.

Buffer's exports (the Posts report's CSV, and files people prepare for Buffer) name their columns
differently over time, so each field accepts several header names (case and spacing ignored):
text ← Text / Update Text / Post Text / Content / Message; date ← Date / Posted At / Sent At /
Scheduled At / Due At; link ← Link / URL / Link URL; network ← Channel / Service / Network /
Platform; account ← Profile / Channel Name / Profile Name / Account.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from scheduling.portability.importers.base import (
    ImportRow,
    Parsed,
    RowError,
    date_problem,
    dict_rows,
    instant,
    pick,
    platform_of,
    with_link,
)

TEXT = ("text", "update_text", "post_text", "content", "message")
DATE = ("date", "posted_at", "sent_at", "scheduled_at", "due_at", "dueat")
LINK = ("link", "url", "link_url")
NETWORK = ("channel", "service", "network", "platform")
ACCOUNT = ("profile", "channel_name", "profile_name", "account")
FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%b %d, %Y %I:%M %p")


def parse(text: str, *, tz: ZoneInfo) -> Parsed:
    header, records = dict_rows(text)
    parsed = Parsed()
    if not set(TEXT) & set(header):
        parsed.errors.append(RowError(1, "text", "The header has no Text (or Update Text, Content) column."))
        return parsed
    for number, values in records:
        errors = []
        message = pick(values, *TEXT)
        platform = platform_of(pick(values, *NETWORK))
        scheduled_at = None
        if not message:
            errors.append(RowError(number, "text", "The text is empty."))
        if platform is None:
            errors.append(RowError(number, "channel", f"Unknown network {pick(values, *NETWORK)!r}."))
        if pick(values, *DATE):
            try:
                scheduled_at = instant(pick(values, *DATE), tz, FORMATS)
            except ValueError as exc:
                unreadable = "Not a date we can read (use YYYY-MM-DD HH:MM)."
                errors.append(RowError(number, "date", date_problem(exc, unreadable)))
        if errors:
            parsed.errors.extend(errors)
            continue
        account = pick(values, *ACCOUNT)
        parsed.rows.append(
            ImportRow(
                number=number,
                content=with_link(message, pick(values, *LINK)),
                platform=platform or "",
                scheduled_at=scheduled_at,
                accounts=[account] if account else [],
            )
        )
    return parsed
