"""Tokens appear in no API response, page, admin page or log line, and only as ciphertext in the DB."""

from __future__ import annotations

import logging

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
