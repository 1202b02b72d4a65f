"""Hootsuite's bulk composer CSV: no header, three columns — date and time, message, link.

Hootsuite reads the date as month first (`MM/DD/YYYY HH:MM`, 24-hour) by default, or day first
when the user picks that option; `day_first` mirrors that choice. Times are wall-clock in the
team's time zone. The file names no network (Hootsuite asks in its UI), so the import form's
platform applies to every row. A first row whose first cell is "date" is treated as a header.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from scheduling.portability.importers.base import (
    MAX_ROWS,
    FileError,
    ImportRow,
    Parsed,
    RowError,
    date_problem,
    instant,
    with_link,
)

MONTH_FIRST = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%y %H:%M")
DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M")


def parse(text: str, *, tz: ZoneInfo, day_first: bool = False) -> Parsed:
    formats = DAY_FIRST if day_first else MONTH_FIRST
    parsed = Parsed()
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise FileError(f"Not a CSV file: {exc}.") from exc
    if len(records) > MAX_ROWS + 1:
        raise FileError(f"At most {MAX_ROWS} rows per import.")
    for number, values in enumerate(records, start=1):
        cells = [v.strip() for v in values] + ["", "", ""]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in {"date", "date and time", "datetime"}:
            continue
        date_text, message, link = cells[0], cells[1], cells[2]
        errors = []
        scheduled_at = None
        if not message:
            errors.append(RowError(number, "message", "The message (column 2) is empty."))
        if date_text:
            try:
                scheduled_at = instant(date_text, tz, formats)
            except ValueError as exc:
                expected = "DD/MM/YYYY HH:MM" if day_first else "MM/DD/YYYY HH:MM"
                errors.append(RowError(number, "date", date_problem(exc, f"Not a date in {expected} (24-hour) form.")))
        if errors:
            parsed.errors.extend(errors)
            continue
        parsed.rows.append(ImportRow(number=number, content=with_link(message, link), scheduled_at=scheduled_at))
    return parsed
