"""Dump and restore the database: pg_dump/pg_restore (custom format) on PostgreSQL, SQLite's online
backup API otherwise. Each dump also returns the manifest of exactly what it holds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (fixed argv, never a shell)
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from core.backups.manifest import backed_up_tables, table_manifest


class BackupError(Exception):
    """A dump or restore could not be done; the message says why."""


def _pg_command(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _pg_connection_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def resolve(database: str | BaseDatabaseWrapper) -> BaseDatabaseWrapper:
    """An alias from DATABASES, or a connection built elsewhere (a restore target not in settings)."""
    return connections[database] if isinstance(database, str) else database


def is_empty(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def live_manifest(connection: BaseDatabaseWrapper) -> dict[str, dict]:
    with connection.cursor() as cursor:
        tables = backed_up_tables(connection.introspection.table_names(cursor))
        return table_manifest(cursor, tables, connection.ops.quote_name)


def dump(*, connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict]:
    """Write the database to `target`; returns the manifest of the dumped data."""
    if connection.vendor == "postgresql":
        return _pg_dump(connection, target)
    if connection.vendor == "sqlite":
        return _sqlite_dump(connection, target)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict]:
    # A connection of our own holds a REPEATABLE READ snapshot; pg_dump reads the same snapshot,
    # so the manifest counts exactly the rows in the dump even while the site keeps writing.
    holder = connections.create_connection(connection.alias)
    holder.settings_dict = {**connection.settings_dict, "OPTIONS": {}}
    try:
        holder.ensure_connection()
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            args, env = _pg_connection_args(holder.settings_dict)
            _run(
                [
                    _pg_command("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    str(holder.settings_dict["NAME"]),
                ],
                env,
            )
            tables = backed_up_tables(holder.introspection.table_names(cursor))
            manifest = table_manifest(cursor, tables, holder.ops.quote_name)
        holder.rollback()
        return manifest
    finally:
        holder.close()


def _sqlite_dump(connection: BaseDatabaseWrapper, target: Path) -> dict[str, dict]:
    connection.ensure_connection()
    # Django's converters (registered globally) read the copy the way the live connection reads rows.
    destination = sqlite3.connect(target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        connection.connection.backup(destination)
        # The manifest is read from the copy itself: it describes the file, not the live database.
        cursor = destination.cursor()
        names = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        manifest = table_manifest(cursor, backed_up_tables(names), _sqlite_quote)
        cursor.close()
    finally:
        destination.close()
    return manifest


def restore(*, connection: BaseDatabaseWrapper, source: Path, vendor: str, force: bool) -> None:
    """Load a dump into `connection`'s database. Refuses a non-empty database unless `force`."""
    if connection.vendor != vendor:
        raise BackupError(f"This backup is of a {vendor} database; the target is {connection.vendor}.")
    if not force and not is_empty(connection):
        raise BackupError("The database is not empty; restore into an empty database or pass --force.")
    if vendor == "postgresql":
        args, env = _pg_connection_args(connection.settings_dict)
        connection.close()
        clean = ["--clean", "--if-exists"] if force else []
        _run(
            [
                _pg_command("pg_restore"),
                *args,
                *clean,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
