from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.translations import compile_translations


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext (only the stale ones unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Recompile every catalogue.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        written = []
        for locale_dir in settings.LOCALE_PATHS:
            written += compile_translations(Path(locale_dir), force=force)
        for path in written:
            self.stdout.write(f"compiled {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(written)} catalogue(s) compiled."))
