"""CSV that is safe to open in a spreadsheet: the one writer every CSV export of the product uses.

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is run as a formula by Excel, LibreOffice and Google Sheets: `=HYPERLINK(...)`
in a post's text would become a live link, `@SUM(...)` a calculation (OWASP "CSV injection").
Such text cells get a leading apostrophe, which spreadsheets show as text and hide.

The change is reversible so our own export re-imports unchanged: text that already starts with
apostrophes followed by a trigger gets one more, and `spreadsheet_restore` takes exactly one off.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def spreadsheet_safe(value: Any) -> Any:
    """The cell as written: text that a spreadsheet would run gets an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def spreadsheet_restore(value: str) -> str:
    """The text before `spreadsheet_safe` (for importing a file we exported)."""
    if value.startswith("'") and _needs_quote(value):
        return value[1:]
    return value


class SafeCsvWriter:
    """csv.writer whose text cells go through `spreadsheet_safe`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictCsvWriter(csv.DictWriter):  # type: ignore[type-arg]
    """csv.DictWriter whose text cells go through `spreadsheet_safe` (the header is ours and left alone)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: spreadsheet_safe(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
