"""Picks the connector for a platform name. One module or folder per platform."""

from __future__ import annotations

from importlib import import_module

import httpx
from django.conf import settings

from content.platform_rules import normalize_platform
from social.platforms.base import PlatformConfig, PlatformConnector

# platform -> "module:Class"
CONNECTORS: dict[str, str] = {
    "sandbox": "social.platforms.sandbox:SandboxConnector",
    "twitter": "social.platforms.twitter.connector:TwitterConnector",
    "linkedin": "social.platforms.linkedin.connector:LinkedInConnector",
    "instagram": "social.platforms.instagram.connector:InstagramConnector",
    "facebook": "social.platforms.facebook.connector:FacebookConnector",
    "tiktok": "social.platforms.tiktok.connector:TikTokConnector",
    "mastodon": "social.platforms.mastodon.connector:MastodonConnector",
    "bluesky": "social.platforms.bluesky.connector:BlueskyConnector",
}


class UnknownPlatform(KeyError):
    pass


def platform_config(platform: str) -> PlatformConfig:
    """App credentials from settings.SOCIAL_PLATFORMS[platform] (env-driven)."""
    raw = getattr(settings, "SOCIAL_PLATFORMS", {}).get(platform, {})
    return PlatformConfig(
        client_id=raw.get("client_id", ""),
        client_secret=raw.get("client_secret", ""),
        api_base=raw.get("api_base", ""),
        auth_base=raw.get("auth_base", ""),
        extra={k: v for k, v in raw.items() if k not in {"client_id", "client_secret", "api_base", "auth_base"}},
    )


def get_connector(
    platform: str, *, http: httpx.Client | None = None, config: PlatformConfig | None = None
) -> PlatformConnector:
    """The platform's connector; `config` overrides settings (a Mastodon instance's own app credentials)."""
    name = normalize_platform(platform)
    target = CONNECTORS.get(name)
    if target is None:
        raise UnknownPlatform(platform)
    module_name, class_name = target.split(":")
    connector_class: type[PlatformConnector] = getattr(import_module(module_name), class_name)
    return connector_class(config=config or platform_config(name), http=http)
