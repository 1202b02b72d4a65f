from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.fields import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            names = [f.attname for f in fields]
            for pk in model._default_manager.values_list("pk", flat=True).iterator():
                with transaction.atomic():
                    instance = model._default_manager.select_for_update().get(pk=pk)
                    # Saving re-encrypts the decrypted values with the newest key.
                    instance.save(update_fields=names)
                    total += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows."))
