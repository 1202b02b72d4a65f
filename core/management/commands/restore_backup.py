from __future__ import annotations

from typing import Any

import environ
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from core.backups.database import BackupError
from core.backups.services import backup_restore, backups_available


class Command(BaseCommand):
    help = (
        "Restore backup <name> into an empty database (or any database with --force), then check every "
        "table's row count and checksum against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="Backup name; omit to list the backups in storage.")
        parser.add_argument("--database", default="default", help="Database alias to restore into.")
        parser.add_argument(
            "--database-url",
            help="Restore into the database at this URL instead (e.g. a fresh one for a restore drill).",
        )
        parser.add_argument("--force", action="store_true", help="Restore over a database that has tables.")
        parser.add_argument("--media", action="store_true", help="Also write the media archive back to storage.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["name"]:
            for name in backups_available():
                self.stdout.write(name)
            return
        target: str | BaseDatabaseWrapper = options["database"]
        if options["database_url"]:
            config = environ.Env.db_url_config(options["database_url"])
            target = load_backend(config["ENGINE"]).DatabaseWrapper(
                {**connections["default"].settings_dict, **config, "OPTIONS": config.get("OPTIONS", {})},
                alias="restore",
            )
        try:
            report = backup_restore(
                name=options["name"], database=target, force=options["force"], include_media=options["media"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for table in sorted(report.expected):
            want = report.expected[table]
            got = report.actual.get(table, {"rows": "-", "sha256": "-"})
            mark = "ok" if got == want else "MISMATCH"
            self.stdout.write(f"{table:<48} {got['rows']!s:>10} rows  {str(got['sha256'])[:16]}  {mark}")
        if options["media"]:
            self.stdout.write(f"media files restored: {report.media_files}")
        if not report.ok:
            raise CommandError("Restore does not match the manifest: " + "; ".join(report.problems))
        self.stdout.write(self.style.SUCCESS(f"Restored {report.name}: every table matches its manifest."))
