"""Postiz-style CSV: a header row named after the fields of a Postiz post — `content`,
`publishDate` (ISO 8601), the channel as `integration` / `providerIdentifier` (e.g. `x`,
`linkedin-page`, `instagram-standalone`) and its display `name`. Postiz keeps HTML in `content`;
tags are stripped to plain text."""

from __future__ import annotations

import html
import re
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
)

CONTENT = ("content", "message", "text")
DATE = ("publishdate", "publish_date", "date")
PROVIDER = ("provideridentifier", "provider_identifier", "provider", "integration", "platform")
NAME = ("integration_name", "name", "account", "channel")
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(r"<\s*(br|/p)\s*/?>", re.IGNORECASE)


def plain(content: str) -> str:
    return html.unescape(TAG.sub("", BREAK.sub("\n", content))).strip()


def parse(text: str, *, tz: ZoneInfo) -> Parsed:
    header, records = dict_rows(text)
    parsed = Parsed()
    if not set(CONTENT) & set(header):
        parsed.errors.append(RowError(1, "content", "The header has no content column."))
        return parsed
    for number, values in records:
        errors = []
        content = plain(pick(values, *CONTENT))
        platform = platform_of(pick(values, *PROVIDER))
        scheduled_at = None
        if not content:
            errors.append(RowError(number, "content", "The content is empty."))
        if platform is None:
            errors.append(RowError(number, "providerIdentifier", f"Unknown channel {pick(values, *PROVIDER)!r}."))
        if pick(values, *DATE):
            try:
                scheduled_at = instant(pick(values, *DATE), tz)
            except ValueError as exc:
                errors.append(RowError(number, "publishDate", date_problem(exc, "Not an ISO 8601 date-time.")))
        if errors:
            parsed.errors.extend(errors)
            continue
        account = pick(values, *NAME)
        parsed.rows.append(
            ImportRow(
                number=number,
                content=content,
                platform=platform or "",
                scheduled_at=scheduled_at,
                accounts=[account] if account else [],
            )
        )
    return parsed
