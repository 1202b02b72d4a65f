"""Social sign-in through allauth against the fake Google of test_social_login.py.

Not collected on its own (the name has no `test_` prefix): test_social_login.py runs it in a child
process whose environment switches the providers on, as an operator's env vars would.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import User
from accounts.selectors import user_has_verified_email
from accounts.tests.api_support import enable_two_factor

pytestmark = pytest.mark.django_db
FAKE = urlsplit(os.environ["FAKE_OAUTH_URL"])


def _google(client: Client, code: str):
    start = client.post("/accounts/google/login/")
    assert start.status_code == 302, start.content[:500]
    authorize = urlsplit(start["Location"])
    assert (authorize.netloc, authorize.path) == (FAKE.netloc, "/authorize")
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["google-client-id"]
    return client.get("/accounts/google/login/callback/", {"code": code, "state": query["state"][0]})


def test_the_login_page_offers_each_provider_switched_on():
    html = Client().get("/accounts/login/").content.decode()

    for path in ("/accounts/google/login/", "/accounts/github/login/", "/accounts/oidc/linkedin/login/"):
        assert path in html, path


def test_google_sign_up_makes_a_verified_user_with_names_and_a_workspace():
    client = Client()

    response = _google(client, "grace-code")

    assert response.status_code == 302 and response["Location"].endswith("/dashboard/"), response.content[:800]
    user = User.objects.get(email="grace@gmail.test")
    assert (user.first_name, user.last_name) == ("Grace", "Hopper")
    assert user.current_team is not None
    assert user_has_verified_email(user)
    assert client.get("/dashboard/").status_code == 200


def test_signing_in_again_with_2fa_on_still_asks_for_the_code():
    _google(Client(), "grace-code")
    enable_two_factor(User.objects.get(email="grace@gmail.test"))
    client = Client()

    response = _google(client, "grace-code")

    assert response.status_code == 302 and response["Location"].endswith("/accounts/two-factor/")
    assert client.get("/dashboard/").status_code == 302


def test_a_forged_state_or_a_refused_code_signs_nobody_in():
    client = Client()
    client.post("/accounts/google/login/")
    forged = client.get("/accounts/google/login/callback/", {"code": "grace-code", "state": "forged"})
    refused = _google(Client(), "wrong-code")

    assert forged.status_code == refused.status_code == 401  # allauth's "login failed" page
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="grace@gmail.test").exists()
