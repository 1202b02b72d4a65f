"""Compile the gettext catalogues (`locale/<lang>/LC_MESSAGES/django.po`) into the `.mo` files Django loads.

Pure Python (polib), so `make run` and `make test` work on a machine without GNU gettext's msgfmt,
which is all Django's own `compilemessages` can use. No Django import: the test suite's conftest
calls this before Django is set up.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib

DOMAINS = ("django", "djangojs")


def catalogues(locale_dir: Path) -> list[Path]:
    """Every .po file of our domains under locale_dir, in a stable order."""
    return sorted(p for domain in DOMAINS for p in locale_dir.glob(f"*/LC_MESSAGES/{domain}.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write po_path's .mo beside it, atomically: parallel test workers may compile at once."""
    mo_path = po_path.with_suffix(".mo")
    catalogue = polib.pofile(str(po_path))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{mo_path.name}.", dir=mo_path.parent)
    os.close(fd)
    try:
        catalogue.save_as_mofile(tmp_name)
        os.replace(tmp_name, mo_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return mo_path


def compile_translations(locale_dir: Path, *, force: bool = False) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po; return what was written."""
    written = []
    for po_path in catalogues(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            written.append(compile_catalogue(po_path))
    return written
