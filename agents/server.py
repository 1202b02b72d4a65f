"""The MCP server: the tools an AI agent sees, each a thin async shell over `agents.tools`.

The agent reaches it at `/mcp` (see agents.asgi for authentication and docs/mcp.md for a client
configuration). Django's ORM is synchronous, so each tool runs its work through `sync_to_async`.
"""

from __future__ import annotations

from typing import Annotated, Any

from asgiref.sync import sync_to_async
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from agents import tools
from agents.principal import PRINCIPAL_SCOPE_KEY, Principal

INSTRUCTIONS = (
    "ContentGenAI: write, check and schedule social media posts for one workspace, read its calendar and "
    "analytics. Draft with draft_post, run check_draft before scheduling, then schedule_post with account ids "
    "from list_accounts. Times are ISO 8601; without an offset they are read in the workspace's time zone."
)

server: MCPServer = MCPServer("contentgenai", instructions=INSTRUCTIONS, version="1")

READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)


def _principal(ctx: Context) -> Principal:
    request = ctx.request_context.request
    scope = getattr(request, "scope", None) or {}
    principal = scope.get(PRINCIPAL_SCOPE_KEY)
    if not isinstance(principal, Principal):
        # Only agents.asgi.mcp_app serves this server, and it always sets the principal.
        raise RuntimeError("MCP request without an authenticated principal")
    return principal


async def _call(ctx: Context, tool: str, fn: Any, *, write: bool, **arguments: Any) -> dict[str, Any]:
    principal = _principal(ctx)
    result: dict[str, Any] = await sync_to_async(tools.tool_call)(
        principal=principal, tool=tool, write=write, fn=fn, **arguments
    )
    return result


@server.tool(annotations=READ)
async def list_accounts(ctx: Context) -> dict[str, Any]:
    """The workspace's connected social accounts (id, platform, name, health). Use their ids to schedule."""
    return await _call(ctx, "list_accounts", tools.accounts_list, write=False)


@server.tool(annotations=WRITE)
async def draft_post(
    ctx: Context,
    platform: Annotated[str, Field(description="linkedin, twitter, facebook, instagram, tiktok, ...")],
    text: Annotated[str, Field(description="The post. Leave empty to have the AI writer draft it from topic.")] = "",
    topic: Annotated[str, Field(description="What to write about, when text is empty.", max_length=500)] = "",
    tone: Annotated[str, Field(description="e.g. professional, casual", max_length=50)] = "",
    language: Annotated[str, Field(description="Language code of the post, e.g. en, es, ar", max_length=10)] = "en",
    title: Annotated[str, Field(description="An internal title for the draft", max_length=255)] = "",
    track_links: Annotated[
        bool, Field(description="Shorten the post's links on our domain with UTM tags and count their clicks")
    ] = False,
    campaign: Annotated[str, Field(description="utm_campaign for tracked links", max_length=100)] = "",
) -> dict[str, Any]:
    """Save a draft post in the workspace (generated with the brand voice when only a topic is given).

    Moderation runs as in the dashboard; a blocked text is refused. Needs a key with the write scope.
    """
    return await _call(
        ctx,
        "draft_post",
        tools.post_draft,
        write=True,
        platform=platform,
        text=text,
        topic=topic,
        tone=tone,
        language=language,
        title=title,
        track_links=track_links,
        campaign=campaign,
    )


@server.tool(annotations=READ)
async def check_draft(
    ctx: Context,
    platform: str,
    text: Annotated[str, Field(max_length=70000)],
    first_comment: Annotated[str, Field(max_length=5000)] = "",
    account_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Check a text against the platform's rules as the composer does: the character limit as the platform
    counts it, media and format rules of the given accounts, their connection, and moderation.
    Returns the issues with a fix for each, and whether it can be saved and published."""
    return await _call(
        ctx,
        "check_draft",
        tools.draft_rules_check,
        write=False,
        platform=platform,
        text=text,
        first_comment=first_comment,
        account_ids=account_ids or [],
    )


@server.tool(annotations=WRITE)
async def schedule_post(
    ctx: Context,
    post_id: str,
    scheduled_at: Annotated[str, Field(description="ISO 8601, e.g. 2026-12-01T09:00:00+01:00")],
    account_ids: Annotated[list[str], Field(description="Ids from list_accounts", min_length=1)],
    timezone: Annotated[str, Field(description="IANA zone for a time without offset; default the workspace's")] = "",
) -> dict[str, Any]:
    """Schedule a saved post on one or more accounts (the same checks and plan limits as the dashboard).
    A post waiting for approval keeps waiting. Needs a key with the write scope."""
    return await _call(
        ctx,
        "schedule_post",
        tools.post_schedule,
        write=True,
        post_id=post_id,
        scheduled_at=scheduled_at,
        account_ids=account_ids,
        timezone_name=timezone,
    )


@server.tool(annotations=READ)
async def list_calendar(
    ctx: Context,
    start: Annotated[str, Field(description="ISO 8601; default now")] = "",
    end: Annotated[str, Field(description="ISO 8601; default 30 days after start, at most 92")] = "",
    status: Annotated[str, Field(description="PENDING, PUBLISHED, FAILED, ... (default all)")] = "",
) -> dict[str, Any]:
    """The workspace's scheduled and published posts between start and end."""
    return await _call(ctx, "list_calendar", tools.calendar_list, write=False, start=start, end=end, status=status)


@server.tool(annotations=READ)
async def read_analytics(
    ctx: Context,
    time_range: Annotated[str, Field(description="7d, 30d, 90d, 12m or YYYY-MM-DD..YYYY-MM-DD")] = "30d",
    post_id: Annotated[str, Field(description="One post's daily activity instead of the workspace's")] = "",
) -> dict[str, Any]:
    """The workspace's analytics (totals, KPIs, per platform, top posts) or one post's daily activity.
    Figures from the sandbox are marked simulated."""
    return await _call(ctx, "read_analytics", tools.analytics_read, write=False, time_range=time_range, post_id=post_id)
