"""The migrations that seal secrets already stored: TOTP seeds move to the encrypted table, stored refresh
tokens become a hash and their family id. Run over rows written through the schema before them."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from core.tests.migrating import migration_executor

BEFORE = [
    ("accounts", "0004_security"),
    ("otp_totp", "0003_add_timestamps"),
    ("token_blacklist", "0013_alter_blacklistedtoken_options_and_more"),
]
SEED = "3132333435363738393031323334353637383930"  # RFC 6238's test seed, hex


def _jwt_with_family(family: str) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"token_type": "refresh", "fam": family}).encode()).decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{claims.rstrip('=')}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


@pytest.mark.django_db(transaction=True)
def test_stored_totp_seeds_and_refresh_tokens_are_sealed_by_the_migrations():
    # every app's latest: going back unapplies what depends on later accounts migrations too
    latest = migration_executor().loader.graph.leaf_nodes()
    try:
        # given: rows as the stock apps stored them, plain
        migration_executor().migrate(BEFORE)
        apps = migration_executor().loader.project_state(BEFORE).apps
        user = apps.get_model("accounts", "User").objects.create(email="seed@example.com", password="x")
        apps.get_model("otp_totp", "TOTPDevice").objects.create(user=user, name="phone", key=SEED, confirmed=True)
        raw_refresh = _jwt_with_family("fam-one")
        now = datetime(2026, 12, 1, tzinfo=UTC)
        apps.get_model("token_blacklist", "OutstandingToken").objects.create(
            user=user, jti="jti-1", token=raw_refresh, created_at=now, expires_at=now + timedelta(days=14)
        )

        # when
        migration_executor().migrate(latest)

        # then: the seed only as ciphertext, still usable; the token only as a hash with its family
        from accounts.models import SealedTOTPDevice

        device = SealedTOTPDevice.objects.get(user_id=user.pk)
        assert (device.key, device.name, device.confirmed) == (SEED, "phone", True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT key FROM accounts_sealedtotpdevice")
            sealed = [str(row[0]) for row in cursor.fetchall()]
            cursor.execute("SELECT COUNT(*) FROM otp_totp_totpdevice")
            plain_left = cursor.fetchone()[0]
            cursor.execute("SELECT token FROM token_blacklist_outstandingtoken")
            stored_tokens = [str(row[0]) for row in cursor.fetchall()]
        assert sealed and all(SEED not in value and value.startswith("gAAAA") for value in sealed)
        assert plain_left == 0
        assert len(stored_tokens) == 1
        assert stored_tokens[0].startswith("fam:fam-one sha256:")
        assert raw_refresh not in stored_tokens[0] and "c2lnbmF0dXJl" not in stored_tokens[0]
    finally:
        migration_executor().migrate(latest)
