"""What every importer produces: rows we can create posts from, and errors tied to row numbers.

Row numbers are the file's line-of-record numbers as a spreadsheet shows them: the header (when the
format has one) is row 1, so the first post is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from content import platform_rules
from core.api.errors import ValidationFailed
from core.spreadsheet import spreadsheet_restore
from scheduling.timeutils import wall_clock_to_utc

MAX_ROWS = 5000

# Names other tools use for the networks we publish to.
PLATFORM_NAMES = {
    "x": "twitter",
    "twitter": "twitter",
    "linkedin": "linkedin",
    "linkedin-page": "linkedin",
    "linkedin page": "linkedin",
    "facebook": "facebook",
    "facebook page": "facebook",
    "instagram": "instagram",
    "instagram-standalone": "instagram",
    "instagram business": "instagram",
    "tiktok": "tiktok",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
    "sandbox": "sandbox",
}


@dataclass
class ImportRow:
    number: int
    content: str
    title: str = ""
    hashtags: list[str] = field(default_factory=list)
    platform: str = ""
    tone: str = ""
    audience: str = ""
    scheduled_at: datetime | None = None  # aware, UTC
    timezone: str = ""
    accounts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.number,
            "title": self.title,
            "content": self.content,
            "hashtags": self.hashtags,
            "platform": self.platform,
            "scheduled_at": self.scheduled_at.isoformat().replace("+00:00", "Z") if self.scheduled_at else None,
            "timezone": self.timezone,
            "accounts": self.accounts,
        }


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class Parsed:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class FileError(Exception):
    """The file as a whole cannot be read (wrong encoding, no header, too many rows)."""


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError("The file is not UTF-8 text; save it as CSV UTF-8 and try again.") from exc


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (name or "").strip().lower()).strip("_")


def dict_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(normalised header, [(row number, {header: value})]); blank lines are skipped."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [header_key(h) for h in next(reader)]
    except StopIteration as exc:
        raise FileError("The file is empty.") from exc
    except csv.Error as exc:
        raise FileError(f"Not a CSV file: {exc}.") from exc
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            # Values keep their spaces (a post may start with one); `pick` strips the short fields.
            # Undo the apostrophe our export puts before formula-like text (core.spreadsheet).
            restored = [spreadsheet_restore(v) for v in values]
            rows.append((number, dict(zip(header, restored, strict=False))))
            if len(rows) > MAX_ROWS:
                raise FileError(f"At most {MAX_ROWS} rows per import.")
    except csv.Error as exc:
        raise FileError(f"Row {reader.line_num}: not valid CSV ({exc}).") from exc
    return header, rows


def pick(values: dict[str, str], *names: str) -> str:
    for name in names:
        if (values.get(name) or "").strip():
            return values[name].strip()
    return ""


def platform_of(raw: str) -> str | None:
    """Our platform name for another tool's network name; '' for none; None when unknown."""
    key = (raw or "").strip().lower()
    if not key:
        return ""
    name = PLATFORM_NAMES.get(key, platform_rules.normalize_platform(key))
    return name if name in platform_rules.platforms() else None


def hashtags_of(raw: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", raw or "") if t]


class TimeRefused(ValueError):
    """A wall-clock time its zone skips (a DST gap): the row gets the scheduling API's refusal."""


def date_problem(exc: ValueError, unreadable: str) -> str:
    """The row error for a date `instant` refused: the DST-gap refusal, or why it cannot be read."""
    return str(exc) if isinstance(exc, TimeRefused) else unreadable


def instant(raw: str, tz: ZoneInfo, formats: tuple[str, ...] = ()) -> datetime:
    """ISO 8601 (with or without offset) or one of `formats`; naive times are wall-clock in `tz`,
    and one inside a DST gap is refused (TimeRefused) as `scheduling.services.post_schedule` does."""
    text = raw.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in formats:
            try:
                parsed = datetime.strptime(text, fmt)  # noqa: DTZ007  (naive on purpose: read in `tz`)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text) from None
    try:
        return wall_clock_to_utc(parsed, tz)
    except ValidationFailed as exc:
        raise TimeRefused(exc.message) from exc


def with_link(message: str, link: str) -> str:
    if link and link not in message:
        return f"{message} {link}".strip()
    return message
