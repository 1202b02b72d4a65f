"""Formula cells in CSV exports: neutralised on the way out, restored exactly on the way back in."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.spreadsheet import SafeCsvWriter, SafeDictCsvWriter, spreadsheet_restore, spreadsheet_safe

HOSTILE = ['=HYPERLINK("https://evil.example","Invoice")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_formula_cell_is_written_as_text(cell):
    out = io.StringIO()
    SafeCsvWriter(out).writerow([cell, 42, None])
    written = next(csv.reader(io.StringIO(out.getvalue())))
    assert written[0] == "'" + cell
    assert written[1] == "42"  # numbers are never touched


def test_the_dict_writer_neutralises_every_text_cell_but_not_the_header():
    out = io.StringIO()
    writer = SafeDictCsvWriter(out, fieldnames=["note", "count"])
    writer.writeheader()
    writer.writerows([{"note": "=1+1", "count": -5}, {"note": "plain", "count": 3}])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["note", "count"], ["'=1+1", "-5"], ["plain", "3"]]


# Property 44: Data Import and Integrity Maintenance (a neutralised cell restores to the text written)
@given(st.text(alphabet="'=+-@\t\rab c", max_size=12))
def test_restore_undoes_safe_exactly(text):
    assert spreadsheet_restore(spreadsheet_safe(text)) == text
    assert not str(spreadsheet_safe(text)).startswith(("=", "+", "-", "@", "\t", "\r"))
