"""Connecting, disconnecting and keeping account tokens healthy."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from billing.entitlements import require_within_limit
from core.api.errors import PlatformError, ValidationFailed
from core.stored_messages import Message
from social.models import AccountHealth, SocialAccount
from social.platforms.base import ConnectorError, ErrorKind, PlatformConfig, TokenSet
from social.platforms.http import REFUSED_CODE
from social.platforms.registry import get_connector
from social.services.budgets import account_budget_sync
from social.services.credentials import account_credentials, connector_for_account
from teams.models import Membership, Team
from teams.services import notification_send

logger = logging.getLogger(__name__)


def account_connect(*, team: Team, user: User | None, platform: str, tokens: TokenSet) -> SocialAccount:
    """Store (or refresh) a connected account from a completed code exchange."""
    if not tokens.account_id:
        raise PlatformError("The platform did not say which account was connected.")
    now = timezone.now()
    with transaction.atomic():
        # The team row lock serialises concurrent connects, so the plan limit cannot be overshot.
        Team.objects.select_for_update().filter(pk=team.pk).first()
        existing = SocialAccount.objects.filter(team=team, platform=platform, account_id=tokens.account_id).first()
        if existing is None or not existing.is_active:
            active = SocialAccount.objects.filter(team=team, is_active=True).count()
            require_within_limit(team, "max_social_accounts", current=active)
        account = existing or SocialAccount(team=team, platform=platform, account_id=tokens.account_id)
        account.account_name = tokens.account_name or tokens.account_id
        account.access_token = tokens.access_token
        account.refresh_token = tokens.refresh_token
        account.token_expires_at = tokens.expires_at
        account.permissions = list(tokens.scopes)
        account.metadata = {**(account.metadata or {}), **tokens.metadata}
        account.metadata.pop("sandbox_fail", None)
        account.is_active = True
        account.health = AccountHealth.HEALTHY
        account.last_error = ""
        account.last_checked_at = now
        if user is not None:
            account.connected_by = user
        account.save()
    logger.info("social account connected", extra={"platform": platform, "social_account": str(account.pk)})
    return account


def account_connect_with_code(
    *,
    team: Team,
    user: User,
    platform: str,
    code: str,
    redirect_uri: str = "",
    code_verifier: str | None = None,
    config: PlatformConfig | None = None,
    http: httpx.Client | None = None,
) -> SocialAccount:
    """Trade an authorization code (or, for app-password platforms, the credentials) for an account."""
    connector = get_connector(platform, http=http, config=config)
    try:
        tokens = connector.exchange_code(code=code, redirect_uri=redirect_uri, code_verifier=code_verifier)
    except ConnectorError as exc:
        if exc.platform_code == REFUSED_CODE:
            # The same answer for every refused address, open port or not.
            raise ValidationFailed(exc.message, details={"authCode": [exc.message]}) from exc
        if exc.retryable:
            raise PlatformError(f"{platform} did not answer: {exc.message}", retry_after=exc.retry_after) from exc
        raise ValidationFailed(
            f"{platform} refused the authorization: {exc.message}", details={"authCode": [exc.message]}
        ) from exc
    except httpx.HTTPError as exc:
        raise PlatformError(f"{platform} could not be reached.") from exc
    account = account_connect(team=team, user=user, platform=connector.platform, tokens=tokens)
    account_budget_sync(account, http=http)  # Instagram's live publishing quota, shown from the start
    return account


def account_disconnect(*, account: SocialAccount) -> None:
    """Forget the tokens and stop publishing; the row stays so past results keep their account."""
    account.is_active = False
    account.access_token = ""
    account.refresh_token = ""
    account.token_expires_at = None
    account.save(update_fields=["is_active", "access_token", "refresh_token", "token_expires_at", "updated_at"])


def _notify_reconnect(account: SocialAccount) -> None:
    recipient = account.connected_by
    if recipient is None or not Membership.objects.filter(team_id=account.team_id, user=recipient).exists():
        recipient = account.team.owner
    notification_send(
        user=recipient,
        team=account.team,
        kind="warning",
        title=Message(
            gettext_noop("Reconnect %(platform)s · %(account)s"),
            platform=account.get_platform_display(),
            account=account.account_name,
        ),
        body=Message(
            gettext_noop(
                "The platform no longer accepts our access. Posts to this account wait until you reconnect it."
            )
        ),
        url="/social/",
    )


def account_mark_needs_reconnect(*, account: SocialAccount, message: str) -> bool:
    """Flag a revoked account. Only the change of state notifies, so one incident sends one message."""
    now = timezone.now()
    changed = (
        SocialAccount.objects.filter(pk=account.pk)
        .exclude(health=AccountHealth.NEEDS_RECONNECT)
        .update(health=AccountHealth.NEEDS_RECONNECT, last_error=message, last_checked_at=now, updated_at=now)
    )
    if not changed:
        SocialAccount.objects.filter(pk=account.pk).update(last_error=message, last_checked_at=now)
    account.refresh_from_db(fields=["health", "last_error", "last_checked_at"])
    if changed:
        _notify_reconnect(account)
    return bool(changed)


def account_record_error(*, account: SocialAccount, error: ConnectorError) -> None:
    """Auth errors mean reconnect; a temporary failure only degrades health and never disconnects."""
    if error.kind == ErrorKind.AUTH:
        account_mark_needs_reconnect(account=account, message=error.message)
        return
    if error.kind == ErrorKind.TRANSIENT:
        now = timezone.now()
        SocialAccount.objects.filter(pk=account.pk, health=AccountHealth.HEALTHY).update(
            health=AccountHealth.DEGRADED, updated_at=now
        )
        SocialAccount.objects.filter(pk=account.pk).update(last_error=error.message, last_checked_at=now)
        account.refresh_from_db(fields=["health", "last_error", "last_checked_at"])


def account_mark_healthy(*, account: SocialAccount) -> None:
    now = timezone.now()
    SocialAccount.objects.filter(pk=account.pk).exclude(health=AccountHealth.NEEDS_RECONNECT).update(
        health=AccountHealth.HEALTHY, last_error="", last_checked_at=now
    )
    account.refresh_from_db(fields=["health", "last_error", "last_checked_at"])


def account_refresh_tokens(*, account_id: str, http: httpx.Client | None = None) -> SocialAccount | None:
    """Refresh one account's tokens under a row lock: refresh tokens are single-use on several platforms,
    so two workers must never spend the same one."""
    with transaction.atomic():
        account = (
            SocialAccount.objects.select_for_update(skip_locked=True)
            .select_related("team")
            .filter(pk=account_id, is_active=True)
            .first()
        )
        if account is None:
            return None
        connector = connector_for_account(account, http=http)
        try:
            tokens = connector.refresh(account_credentials(account))
        except ConnectorError as exc:
            # Recorded after the lock is released; the notification goes out on commit.
            error: ConnectorError | None = exc
        except httpx.HTTPError as exc:
            error = ConnectorError(f"Network error: {type(exc).__name__}", kind=ErrorKind.TRANSIENT)
        else:
            error = None
            account.access_token = tokens.access_token
            if tokens.refresh_token:
                account.refresh_token = tokens.refresh_token
            account.token_expires_at = tokens.expires_at
            if tokens.scopes:
                account.permissions = list(tokens.scopes)
            account.metadata = {**(account.metadata or {}), **tokens.metadata}
            account.health = AccountHealth.HEALTHY
            account.last_error = ""
            account.last_checked_at = timezone.now()
            account.save()
    if error is not None:
        logger.warning(
            "social token refresh failed",
            extra={"social_account": str(account.pk), "kind": str(error.kind), "status": error.status},
        )
        account_record_error(account=account, error=error)
    return account


def accounts_due_for_refresh(*, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    margin = timedelta(seconds=settings.SOCIAL_TOKEN_REFRESH_MARGIN_SECONDS)
    due = (
        SocialAccount.objects.filter(is_active=True, token_expires_at__isnull=False, token_expires_at__lte=now + margin)
        .exclude(health=AccountHealth.NEEDS_RECONNECT)
        .filter(~Q(refresh_token=""))
    )
    return [str(pk) for pk in due.values_list("pk", flat=True)[:500]]
