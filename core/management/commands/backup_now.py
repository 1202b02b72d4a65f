from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backups.database import BackupError
from core.backups.services import backup_create


class Command(BaseCommand):
    help = "Back up the database (and media) to storage under backups/ now, then prune to BACKUP_KEEP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument("--no-media", action="store_true", help="Skip the media archive.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = backup_create(database=options["database"], include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup {run.name}: {run.table_count} tables, {run.row_count} rows, {run.size_bytes} bytes."
            )
        )
