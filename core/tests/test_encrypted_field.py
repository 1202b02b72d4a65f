from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from core.fields import decrypt_str, encrypt_str
from social.models import SocialAccount
from social.tests.factories import SocialAccountFactory


def _raw_tokens(account: SocialAccount) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT access_token, refresh_token FROM {SocialAccount._meta.db_table} WHERE id = %s",
            [account.pk.hex if connection.vendor == "sqlite" else account.pk],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_tokens_are_ciphertext_in_the_database_and_plaintext_in_python():
    account = SocialAccountFactory(access_token="plain-access-123", refresh_token="plain-refresh-456")

    raw_access, raw_refresh = _raw_tokens(account)
    loaded = SocialAccount.objects.get(pk=account.pk)

    assert "plain-access-123" not in raw_access and "plain-refresh-456" not in raw_refresh
    assert (loaded.access_token, loaded.refresh_token) == ("plain-access-123", "plain-refresh-456")


@pytest.mark.django_db
def test_old_key_still_decrypts_after_rotation_and_rotation_reencrypts(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    account = SocialAccountFactory(access_token="rotate-me")
    before, _ = _raw_tokens(account)

    # a new key is put first; the old one stays to decrypt
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert SocialAccount.objects.get(pk=account.pk).access_token == "rotate-me"
    call_command("rotate_encryption_keys")
    after, _ = _raw_tokens(account)

    # once rotated, the old key can go
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert after != before
    assert SocialAccount.objects.get(pk=account.pk).access_token == "rotate-me"


class TokenEncryptionProperties(HypothesisTestCase):
    # Property 18: Multi-Platform Connection and Token Security (tokens round-trip through encryption)
    @settings(max_examples=60, deadline=None)
    @given(token=st.text(min_size=1, max_size=500).filter(lambda s: "\x00" not in s))
    def test_any_token_round_trips_and_never_appears_in_ciphertext(self, token):
        ciphertext = encrypt_str(token)

        assert decrypt_str(ciphertext) == token
        if len(token) >= 4:
            assert token not in ciphertext
