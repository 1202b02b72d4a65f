"""Test settings for the social-login run (accounts/tests/test_social_login.py starts it in a child
process with the providers' env vars set): Google's endpoints point at the local fake OAuth server
whose address the parent passes in FAKE_OAUTH_URL."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import SOCIALACCOUNT_PROVIDERS

_FAKE = os.environ["FAKE_OAUTH_URL"].rstrip("/")
SOCIALACCOUNT_PROVIDERS["google"].update(
    {
        "AUTHORIZE_URL": f"{_FAKE}/authorize",
        "ACCESS_TOKEN_URL": f"{_FAKE}/token",
        "IDENTITY_URL": f"{_FAKE}/userinfo",
    }
)
