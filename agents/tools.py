"""What the MCP tools do, as plain synchronous functions over the apps' own services and selectors.

Each tool is one line of the product's existing paths: generation is `content_generate`, saving is
`post_create`, the rules are `social.draft_checks.draft_check` (the composer's card), scheduling is
`scheduling.services.post_schedule` (the one scheduling path), the calendar and analytics are the
selectors the pages and the REST API read. Nothing here decides anything the dashboard would not.

`tool_call` wraps every call: the key's scope, a fresh team context, the audit line in the team's
activity trail (allowed or refused), and the API error turned into an MCP tool error the agent reads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections
from django.http import Http404
from django.utils import timezone
from mcp.server.mcpserver.exceptions import ToolError

from agents.principal import Principal
from analytics.metrics import parse_time_range
from analytics.selectors import dashboard_data, engagement_series
from content import platform_rules
from content import selectors as content_selectors
from content.models import GenerationKind
from content.outgoing import outgoing_for
from content.services import brief_build, content_generate, post_create
from content.tracked_links import campaign_clean, tracked_links_set
from core.api.errors import ApiError, PermissionDeniedError, ValidationFailed
from scheduling.selectors import schedules_for_team
from scheduling.services import post_schedule as schedule_service
from scheduling.timeutils import parse_instant, zone
from social import selectors as social_selectors
from social.draft_checks import draft_check
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

logger = logging.getLogger(__name__)

CALENDAR_MAX_DAYS = 92
CALENDAR_MAX_ROWS = 200


def _audit(principal: Principal, tool: str, *, outcome: str, error: str = "", target: Any = None) -> None:
    activity_record(
        team=principal.team,
        actor=principal.user,
        verb=f"mcp.{tool}",
        summary=f"used the AI agent tool {tool} with API key {principal.key.prefix}"
        + (f" (refused: {error})" if error else ""),
        target=target,
        data={"tool": tool, "outcome": outcome, "apiKey": principal.key.prefix, "error": error},
    )


def tool_call(*, principal: Principal, tool: str, write: bool, fn: Callable[..., Any], **arguments: Any) -> Any:
    """Run one tool in Django's sync world; every call, allowed or not, leaves an audit line."""
    close_old_connections()
    try:
        try:
            if write and not principal.can_write:
                raise PermissionDeniedError(
                    f"This API key is read-only: {tool} needs a key with the write scope. "
                    "Create one under Settings → API keys."
                )
            ctx = principal.team_context()
            result = fn(ctx=ctx, **arguments)
        except Http404 as exc:
            _audit(principal, tool, outcome="refused", error="NOT_FOUND")
            raise ToolError(f"NOT_FOUND: {exc or 'Not found.'}") from exc
        except ApiError as exc:
            _audit(principal, tool, outcome="refused", error=exc.code)
            raise ToolError(f"{exc.code}: {exc.user_message()}") from exc
        _audit(principal, tool, outcome="ok")
        return result
    finally:
        close_old_connections()


# --- the tools ----------------------------------------------------------------------------------


def _account_row(account: Any) -> dict[str, Any]:
    return {
        "id": str(account.pk),
        "platform": account.platform,
        "name": account.account_name,
        "health": account.health,
    }


def accounts_list(*, ctx: TeamContext) -> dict[str, Any]:
    require(ctx, Capability.VIEW)
    rows = social_selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name")
    return {"workspace": ctx.team.name, "accounts": [_account_row(a) for a in rows]}


def _post_row(post: Any) -> dict[str, Any]:
    outgoing = outgoing_for(post)
    return {
        "id": str(post.pk),
        "status": post.status,
        "platform": post.platform,
        "title": post.title,
        "text": outgoing.text,
        "hashtags": list(post.hashtags or []),
        "firstComment": outgoing.first_comment,
    }


def post_draft(
    *,
    ctx: TeamContext,
    platform: str,
    text: str = "",
    topic: str = "",
    tone: str = "",
    language: str = "en",
    title: str = "",
    track_links: bool = False,
    campaign: str = "",
) -> dict[str, Any]:
    """Save a draft: the given text, or one the AI writer generates from `topic` (brand voice included)."""
    if not text.strip() and not topic.strip():
        raise ValidationFailed("Give the text of the post, or a topic to write about.", details={"text": ["Empty."]})
    if track_links:
        campaign = campaign_clean(campaign)  # refused before anything is generated or saved
    hashtags: list[str] = []
    generated = False
    if not text.strip():
        brief = brief_build(kind=GenerationKind.CAPTION, topic=topic, platform=platform, tone=tone, language=language)
        result = content_generate(ctx=ctx, brief=brief)
        text, hashtags, generated = result.first.shaped.content, list(result.first.shaped.hashtags), True
    post = post_create(
        ctx=ctx,
        title=title or topic[:255],
        content=text,
        hashtags=hashtags,
        platform=platform,
        tone=tone,
        metadata={"source": "mcp"},
    )
    if track_links:
        post = tracked_links_set(ctx=ctx, post=post, enabled=True, campaign=campaign)
    return {"post": _post_row(post), "generated": generated}


def draft_rules_check(
    *, ctx: TeamContext, platform: str, text: str, first_comment: str = "", account_ids: list[str] | None = None
) -> dict[str, Any]:
    require(ctx, Capability.VIEW)
    accounts = social_selectors.accounts_by_ids(team=ctx.team, account_ids=list(account_ids or []))
    check = draft_check(
        team=ctx.team, user=ctx.user, platform=platform, text=text, first_comment=first_comment, accounts=accounts
    )
    return {
        "platform": check.platform,
        "text": check.outgoing.text,
        "characters": platform_rules.count_characters(check.platform, check.outgoing.text),
        "limit": platform_rules.character_limit(check.platform),
        "issues": check.issues,
        "canSave": check.can_save,
        "canPublish": check.can_publish,
        "moderation": check.moderation.as_dict(),
    }


def _schedule_row(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.pk),
        "postId": str(row.post_id),
        "title": row.post.title,
        "accountId": str(row.social_account_id) if row.social_account_id else None,
        "platform": row.platform,
        "scheduledAt": row.scheduled_at.isoformat(),
        "timezone": row.timezone,
        "status": row.status,
    }


def post_schedule(
    *, ctx: TeamContext, post_id: str, scheduled_at: str, account_ids: list[str], timezone_name: str = ""
) -> dict[str, Any]:
    require(ctx, Capability.PUBLISH)
    tz = timezone_name or ctx.team.timezone
    at = parse_instant(scheduled_at, zone(tz))
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    accounts = social_selectors.accounts_by_ids(team=ctx.team, account_ids=list(account_ids))
    rows = schedule_service(post=post, accounts=accounts, at=at, tz=tz, actor=ctx).scheduled
    return {"scheduled": [_schedule_row(r) for r in rows]}


def _optional_instant(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_instant(value, zone("UTC"))
    except ValidationFailed as exc:
        raise ValidationFailed(f"{name} is not an ISO 8601 date-time.", details={name: ["Invalid date."]}) from exc


def calendar_list(*, ctx: TeamContext, start: str = "", end: str = "", status: str = "") -> dict[str, Any]:
    require(ctx, Capability.VIEW)
    begin = _optional_instant(start, "start") or timezone.now()
    finish = _optional_instant(end, "end") or begin + timedelta(days=30)
    if finish <= begin or finish - begin > timedelta(days=CALENDAR_MAX_DAYS):
        raise ValidationFailed(
            f"end must be after start, at most {CALENDAR_MAX_DAYS} days later.", details={"end": ["Out of range."]}
        )
    found = schedules_for_team(team=ctx.team, status=status or None, start=begin, end=finish)
    rows = list(found[: CALENDAR_MAX_ROWS + 1])
    return {
        "start": begin.isoformat(),
        "end": finish.isoformat(),
        "entries": [_schedule_row(r) for r in rows[:CALENDAR_MAX_ROWS]],
        "truncated": len(rows) > CALENDAR_MAX_ROWS,
    }


def analytics_read(*, ctx: TeamContext, time_range: str = "30d", post_id: str = "") -> dict[str, Any]:
    require(ctx, Capability.VIEW)
    period = parse_time_range(time_range)
    if post_id:
        post = content_selectors.post_get(ctx=ctx, post_id=post_id)
        return engagement_series(team=ctx.team, time_range=period, post=post)
    data = dashboard_data(team=ctx.team, time_range=period)
    keys = ("time_range", "totals", "kpis", "by_platform", "top_posts", "simulated_platforms")
    return {key: data[key] for key in keys}
