"""Reads of the social app. Every lookup is scoped to a team: another team's row is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from content.models import ContentPost
from core.api.errors import NotFoundError, ValidationFailed
from core.lookups import uuid_or_404
from social.models import MediaAsset, PublishResult, SocialAccount
from teams.models import Team


def accounts_for_team(*, team: Team, include_inactive: bool = False) -> QuerySet[SocialAccount]:
    accounts = SocialAccount.objects.filter(team=team).select_related("connected_by")
    return accounts if include_inactive else accounts.filter(is_active=True)


def account_get(*, team: Team, account_id: Any) -> SocialAccount:
    account = accounts_for_team(team=team).filter(pk=uuid_or_404(account_id, "account")).first()
    if account is None:
        raise NotFoundError("No such account.")
    return account


def accounts_by_ids(*, team: Team, account_ids: list[Any]) -> list[SocialAccount]:
    wanted = [uuid_or_404(a, "account") for a in account_ids]
    found = {a.pk: a for a in accounts_for_team(team=team).filter(pk__in=wanted)}
    missing = [str(a) for a in wanted if a not in found]
    if missing:
        raise NotFoundError("No such account.", details={"accountIds": missing})
    return [found[a] for a in dict.fromkeys(wanted)]


def accounts_for_platforms(*, team: Team, platforms: list[str]) -> list[SocialAccount]:
    """Every active account of the team on each named platform; a platform without one is an error."""
    accounts = list(accounts_for_team(team=team).filter(platform__in=platforms).order_by("platform", "created_at"))
    unconnected = sorted(set(platforms) - {a.platform for a in accounts})
    if unconnected:
        raise ValidationFailed(
            f"No connected account on {', '.join(unconnected)}.",
            details={"platforms": [f"Connect a {p} account first." for p in unconnected]},
        )
    return accounts


def results_for_post(*, post: ContentPost) -> QuerySet[PublishResult]:
    return PublishResult.objects.filter(post=post).select_related("social_account").order_by("platform", "created_at")


def media_for_team(*, team: Team) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.filter(team=team)


def media_get(*, team: Team, media_id: Any) -> MediaAsset:
    asset = media_for_team(team=team).filter(pk=uuid_or_404(media_id, "media")).first()
    if asset is None:
        raise NotFoundError("No such media.")
    return asset


def media_by_ids(*, team: Team, media_ids: list[Any]) -> list[MediaAsset]:
    wanted = [uuid_or_404(m, "media") for m in media_ids]
    found = {m.pk: m for m in media_for_team(team=team).filter(pk__in=wanted)}
    missing = [str(m) for m in wanted if m not in found]
    if missing:
        raise NotFoundError("No such media.", details={"mediaIds": missing})
    return [found[m] for m in dict.fromkeys(wanted)]
