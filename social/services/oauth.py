"""The OAuth 2 dance for dashboard "Connect account" buttons: state and PKCE kept in the session."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.cache import cache

from accounts.models import User
from core.api.errors import PlatformError, ValidationFailed
from core.netguard import GENERIC_MESSAGE, DestinationRefused, check_url
from social.models import SocialAccount
from social.platforms.base import ConnectorError, PlatformConfig
from social.platforms.http import REFUSED_CODE
from social.platforms.registry import get_connector, platform_config
from social.services.accounts import account_connect_with_code
from teams.models import Team

SESSION_KEY = "social_oauth"
MAX_PENDING = 5  # abandoned flows per session; older ones are dropped
MASTODON_APP_CACHE_SECONDS = 60 * 60 * 24 * 30


@dataclass
class PendingAuthorization:
    platform: str
    team_id: str
    redirect_uri: str
    code_verifier: str = ""
    config: dict[str, Any] = field(default_factory=dict)


def pkce_pair() -> tuple[str, str]:
    """RFC 7636 S256: a random verifier and its challenge."""
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def normalize_instance_url(raw: str) -> str:
    value = (raw or "").strip().rstrip("/")
    if value and "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or "." not in parts.hostname or parts.path not in ("", "/"):
        raise ValidationFailed(
            "Enter the address of your Mastodon server, such as mastodon.social.",
            details={"instanceUrl": ["Enter a server address such as mastodon.social."]},
        )
    try:
        check_url(f"https://{parts.netloc}")
    except DestinationRefused as exc:
        raise ValidationFailed(str(GENERIC_MESSAGE), details={"instanceUrl": [str(GENERIC_MESSAGE)]}) from exc
    return f"https://{parts.netloc}"


def _mastodon_app_key(instance_url: str, redirect_uri: str) -> str:
    digest = hashlib.sha256(f"{instance_url}|{redirect_uri}".encode()).hexdigest()[:32]
    return f"social:mastodon-app:{digest}"


def mastodon_app_config(*, instance_url: str, redirect_uri: str, http: httpx.Client | None = None) -> PlatformConfig:
    """Mastodon apps are registered per server; one registration is reused for a month."""
    key = _mastodon_app_key(instance_url, redirect_uri)
    cached = cache.get(key)
    if cached:
        return PlatformConfig(client_id=cached[0], client_secret=cached[1], api_base=instance_url)
    connector = get_connector("mastodon", http=http, config=PlatformConfig(api_base=instance_url))
    register = getattr(connector, "register_app", None)
    if register is None:
        raise PlatformError("This Mastodon connector cannot register an app on a server.")
    try:
        client_id, client_secret = register(redirect_uri=redirect_uri)
    except ConnectorError as exc:
        if exc.platform_code == REFUSED_CODE:
            raise ValidationFailed(exc.message, details={"instanceUrl": [exc.message]}) from exc
        raise PlatformError(f"{instance_url} refused to register the app: {exc.message}") from exc
    except httpx.HTTPError as exc:
        raise PlatformError(f"{instance_url} could not be reached.") from exc
    cache.set(key, (client_id, client_secret), MASTODON_APP_CACHE_SECONDS)
    return PlatformConfig(client_id=client_id, client_secret=client_secret, api_base=instance_url)


def oauth_start(
    *,
    session: Any,
    team: Team,
    platform: str,
    redirect_uri: str,
    instance_url: str = "",
    http: httpx.Client | None = None,
) -> str:
    """Remember a new authorization in the session and return the platform's consent URL."""
    config: PlatformConfig | None = None
    if platform == "mastodon":
        config = mastodon_app_config(
            instance_url=normalize_instance_url(instance_url), redirect_uri=redirect_uri, http=http
        )
    connector = get_connector(platform, http=http, config=config)
    if not connector.uses_oauth:
        raise ValidationFailed(f"{platform} connects with credentials, not a consent page.")
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair() if connector.supports_pkce else ("", None)
    pending = PendingAuthorization(
        platform=connector.platform,
        team_id=str(team.pk),
        redirect_uri=redirect_uri,
        code_verifier=verifier,
        config=asdict(config) if config else {},
    )
    flows: dict[str, Any] = dict(session.get(SESSION_KEY) or {})
    flows[state] = asdict(pending)
    session[SESSION_KEY] = dict(list(flows.items())[-MAX_PENDING:])
    return connector.authorize_url(state=state, redirect_uri=redirect_uri, code_challenge=challenge)


def oauth_finish(
    *, session: Any, team: Team, user: User, platform: str, state: str, code: str, http: httpx.Client | None = None
) -> SocialAccount:
    """Check the state (one use, same team, same platform) and exchange the code."""
    flows: dict[str, Any] = dict(session.get(SESSION_KEY) or {})
    raw = flows.pop(state, None) if state else None
    session[SESSION_KEY] = flows
    if raw is None:
        raise ValidationFailed("This connection link expired or was already used. Start again.")
    pending = PendingAuthorization(**raw)
    if pending.platform != platform or pending.team_id != str(team.pk):
        raise ValidationFailed("This connection was started for another platform or workspace. Start again.")
    if not code:
        raise ValidationFailed("The platform did not grant access.")
    config = PlatformConfig(**pending.config) if pending.config else None
    return account_connect_with_code(
        team=team,
        user=user,
        platform=platform,
        code=code,
        redirect_uri=pending.redirect_uri,
        code_verifier=pending.code_verifier or None,
        config=config,
        http=http,
    )


def credentials_connect(
    *,
    team: Team,
    user: User,
    platform: str,
    identifier: str,
    password: str,
    service: str = "",
    http: httpx.Client | None = None,
) -> SocialAccount:
    """Platforms without OAuth (Bluesky app passwords): the credentials travel as the code, as JSON."""
    code = json.dumps({"identifier": identifier.strip(), "password": password, "service": service.strip()})
    return account_connect_with_code(team=team, user=user, platform=platform, code=code, http=http)


def platform_is_configured(platform: str) -> bool:
    """Whether the dashboard can offer a Connect button: the app's credentials are set."""
    from django.conf import settings

    if platform == "sandbox":
        return bool(getattr(settings, "SOCIAL_SANDBOX_ENABLED", True))
    if platform in {"mastodon", "bluesky"}:
        return True  # per-server app registration / app passwords: nothing to configure
    return bool(platform_config(platform).client_id)
