"""Tokens appear in no API response, page, admin page or log line, and only as ciphertext in the DB."""

from __future__ import annotations

import logging
import shutil
import subprocess  # noqa: S404

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from social.models import SocialAccount

pytestmark = pytest.mark.django_db


def test_tokens_never_leave_in_clear(api, client, user, post, connect_sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    account = connect_sandbox()
    row = SocialAccount.objects.get(pk=account["id"])
    secrets = [row.access_token, row.refresh_token]
    assert all(s.startswith("sbx_") for s in secrets)

    bodies = [
        api.get("/api/social/accounts/").content,
        api.get(f"/api/social/accounts/{row.pk}/").content,
        api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json").content,
    ]
    client.force_login(user)
    bodies += [client.get("/social/").content, client.get(f"/social/publish/{post.pk}/").content]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    bodies += [
        client.get("/admin/social/socialaccount/").content,
        client.get(f"/admin/social/socialaccount/{row.pk}/change/").content,
    ]
    logs = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)

    for secret in secrets:
        assert all(secret.encode() not in body for body in bodies)
        assert secret not in logs

    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM social_socialaccount")
        raw = cursor.fetchone()
    assert raw[0] != secrets[0] and raw[1] != secrets[1]
    assert raw[0].startswith("gAAAA")  # a Fernet token


@pytest.mark.django_db(transaction=True)  # the backup reads the database file: the rows must be committed
def test_dumps_of_the_database_hold_no_token_in_clear(connect_sandbox, tmp_path):
    import json
    from io import StringIO

    from django.core.files.storage import FileSystemStorage
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.tests.api_support import bearer, enable_two_factor
    from core.backups.services import backup_create

    row = SocialAccount.objects.get(pk=connect_sandbox()["id"])
    secrets = [row.access_token, row.refresh_token]
    # A TOTP seed and an API refresh token: either one in a backup would take the account over.
    person = UserFactory()
    refresh_token = bearer(APIClient(), person)["refreshToken"]
    device, _codes = enable_two_factor(person)
    seed = device.key

    # manage.py dumpdata: the fixture carries the ciphertext, and loading it gives the tokens back
    out = StringIO()
    call_command("dumpdata", "social.socialaccount", stdout=out)
    dumped = out.getvalue()
    assert all(secret not in dumped for secret in secrets)
    fields = json.loads(dumped)[0]["fields"]
    assert fields["access_token"].startswith("gAAAA") and fields["refresh_token"].startswith("gAAAA")
    fixture = tmp_path / "accounts.json"
    fixture.write_text(dumped)
    SocialAccount.objects.filter(pk=row.pk).update(access_token="", refresh_token="")
    call_command("loaddata", str(fixture), verbosity=0)
    row.refresh_from_db()
    assert [row.access_token, row.refresh_token] == secrets

    # manage.py backup_now's database file (SQLite's backup API, or pg_dump on PostgreSQL)
    storage = FileSystemStorage(location=tmp_path / "backups")
    run = backup_create(include_media=False, storage=storage)
    with storage.open(run.database_file, "rb") as handle:
        database_file = handle.read()
    if connection.vendor == "postgresql":  # pg_dump's custom format is compressed: read it as SQL
        dump_path = tmp_path / "database.dump"
        dump_path.write_bytes(database_file)
        database_file = subprocess.run(  # noqa: S603 (fixed argv)
            [shutil.which("pg_restore") or "pg_restore", "--data-only", "-f", "-", str(dump_path)],
            capture_output=True,
            check=True,
        ).stdout
    assert row.account_id.encode() in database_file  # the account is in the dump, its tokens only encrypted
    assert all(secret.encode() not in database_file for secret in secrets)
    assert person.email.encode() in database_file
    assert seed.encode() not in database_file and seed.upper().encode() not in database_file
    assert refresh_token.encode() not in database_file
    assert refresh_token.rsplit(".", 1)[-1].encode() not in database_file  # not even its signature
