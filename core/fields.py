"""Encrypted model fields: Fernet with a key list (MultiFernet) so keys rotate.

The first key in FIELD_ENCRYPTION_KEYS encrypts; every key decrypts. `rotate_encryption_keys`
re-encrypts stored values with the first key.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        # Development fallback only: production settings refuse to start without real keys.
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"field-encryption:{secret_key}".encode()).digest())
        keys = (derived.decode(),)
    try:
        return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be url-safe base64 Fernet keys") from exc


def get_fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


FERNET_PREFIX = "gAAAAA"  # every Fernet token starts with its version byte 0x80 and a timestamp


def encrypt_str(value: str) -> str:
    return get_fernet().encrypt(value.encode()).decode()


def decrypt_str(token: str) -> str:
    return get_fernet().decrypt(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text value stored as a Fernet token; Python code only ever sees plaintext."""

    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return decrypt_str(value)
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                f"Cannot decrypt {self.model.__name__}.{self.name}: is its key missing from FIELD_ENCRYPTION_KEYS?"
            ) from exc

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))

    def to_python(self, value: Any) -> str | None:
        # A serialized dump carries the ciphertext (`value_to_string`): loading it gives the plaintext back.
        if isinstance(value, str) and value.startswith(FERNET_PREFIX):
            try:
                return decrypt_str(value)
            except InvalidToken:
                return value
        return value

    def value_to_string(self, obj: Any) -> str:
        """`dumpdata` and the serializers write the ciphertext, so a dump never holds a secret in clear."""
        value = self.value_from_object(obj)
        if value is None or value == "":
            return "" if value is None else value
        return encrypt_str(str(value))
