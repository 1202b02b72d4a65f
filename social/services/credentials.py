"""The bridge between SocialAccount rows and the ORM-free connector interface."""

from __future__ import annotations

import httpx

from social.models import SocialAccount
from social.platforms.base import AccountCredentials, PlatformConfig, PlatformConnector
from social.platforms.registry import get_connector


def account_credentials(account: SocialAccount) -> AccountCredentials:
    return AccountCredentials(
        account_id=account.account_id,
        account_name=account.account_name,
        access_token=account.access_token or "",
        refresh_token=account.refresh_token or "",
        expires_at=account.token_expires_at,
        metadata=dict(account.metadata or {}),
    )


def connector_for_account(account: SocialAccount, *, http: httpx.Client | None = None) -> PlatformConnector:
    """A Mastodon account talks to its own instance; every other platform uses the app's settings."""
    instance_url = (account.metadata or {}).get("instance_url")
    if account.platform == "mastodon" and instance_url:
        return get_connector(account.platform, http=http, config=PlatformConfig(api_base=str(instance_url)))
    return get_connector(account.platform, http=http)
