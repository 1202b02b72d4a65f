"""TOTP seeds are sealed at rest: the row holds ciphertext, codes still verify, key rotation covers them."""

from __future__ import annotations

import time

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import SealedTOTPDevice
from accounts.tests.api_support import enable_two_factor, totp_now
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _raw_key(device: SealedTOTPDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {SealedTOTPDevice._meta.db_table} WHERE id = %s", [device.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_the_stored_row_holds_no_seed_and_codes_still_verify():
    user = UserFactory()
    device, _codes = enable_two_factor(user)

    raw = _raw_key(device)

    assert device.key not in raw and device.key.upper() not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    reloaded = SealedTOTPDevice.objects.get(pk=device.pk)
    assert reloaded.key == device.key
    # The enrolment spent this 30 s step; the next step's code (within tolerance) verifies against the sealed seed.
    assert reloaded.verify_token(totp_now(reloaded, at=time.time() + 30)) is True
    assert reloaded.verify_token("000000") is False
    assert "secret=" in reloaded.config_url


def test_rotate_encryption_keys_reseals_totp_seeds():
    user = UserFactory()
    device, _codes = enable_two_factor(user)
    old_key = Fernet(b"8Xp1b9fJd2vQeYx8m0Kk3w7R5t2uV4yZ6a8c0e2g4i8=")
    assert old_key.decrypt(_raw_key(device).encode()).decode() == device.key
    new_key = Fernet.generate_key().decode()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, "8Xp1b9fJd2vQeYx8m0Kk3w7R5t2uV4yZ6a8c0e2g4i8="]):
        call_command("rotate_encryption_keys", verbosity=0)
        assert Fernet(new_key.encode()).decrypt(_raw_key(device).encode()).decode() == device.key
        assert SealedTOTPDevice.objects.get(pk=device.pk).key == device.key
