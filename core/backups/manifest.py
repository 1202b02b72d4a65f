"""Per-table row counts and checksums, computed through a plain DB-API cursor.

The same function runs on the live database (inside the dump's snapshot), on a SQLite copy and on
the database a backup was restored into, so equal manifests mean the restore holds every row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps

FETCH_SIZE = 2000


def backed_up_tables(existing: Iterable[str]) -> list[tuple[str, str]]:
    """(table, primary-key column) of every model table present in the database, sorted."""
    present = set(existing)
    found: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or opts.swapped or not opts.managed or opts.pk is None:
            continue
        if opts.db_table in present and opts.db_table not in found:
            found[opts.db_table] = opts.pk.column or opts.pk.name
    if "django_migrations" in present:
        found["django_migrations"] = "id"
    return sorted(found.items())


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def table_manifest(cursor: Any, tables: list[tuple[str, str]], quote: Callable[[str], str]) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} over every row in primary-key order."""
    result: dict[str, dict] = {}
    for table, pk in tables:
        digest = hashlib.sha256()
        rows = 0
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608  (names from the model registry)
        while True:
            batch = cursor.fetchmany(FETCH_SIZE)
            if not batch:
                break
            for row in batch:
                digest.update(json.dumps([_canonical(v) for v in row], default=str).encode())
                digest.update(b"\n")
                rows += 1
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def compare(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """Human-readable differences; empty when the two manifests agree."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"{table}: not in the backup")
        elif got is None:
            problems.append(f"{table}: missing after restore")
        elif want["rows"] != got["rows"]:
            problems.append(f"{table}: {got['rows']} rows, expected {want['rows']}")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"{table}: checksum differs")
    return problems
