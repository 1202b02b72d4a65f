"""An AI agent on the MCP server, through the SDK's own Streamable HTTP client against real uvicorn."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import httpx2
import pytest
from django.utils import timezone
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from accounts.api_keys import api_key_create
from accounts.tests.factories import UserFactory
from content.models import ContentPost, PostStatus, TrackedLink
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost
from social.tests.factories import SocialAccountFactory
from teams.models import ActivityEvent

TOOLS = {"list_accounts", "draft_post", "check_draft", "schedule_post", "list_calendar", "read_analytics"}


def _call(base: str, key: str, steps: Any) -> Any:
    """Open one MCP client with the key as a Bearer token and run `steps(client)` in it."""

    async def run() -> Any:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30)
        async with http, Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
            return await steps(client)

    return asyncio.run(run())


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    return result.structured_content or json.loads(result.content[0].text)


def _error_text(result: Any) -> str:
    assert result.is_error, result
    return " ".join(part.text for part in result.content)


def _future() -> str:
    return (timezone.now() + timedelta(days=2)).replace(microsecond=0).isoformat()


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def account(owner):
    return SocialAccountFactory(team=owner.current_team, platform="sandbox", account_name="Sandbox One")


def test_an_agent_lists_tools_drafts_a_generated_post_and_schedules_it(asgi_server, owner, account):
    _key, raw = api_key_create(user=owner, name="agent", scopes=["read", "write"])

    async def steps(client: Client) -> dict[str, Any]:
        tools = await client.list_tools()
        accounts = _data(await client.call_tool("list_accounts", {}))
        draft = _data(await client.call_tool("draft_post", {"platform": "sandbox", "topic": "spring coffee menu"}))
        tracked = _data(
            await client.call_tool(
                "draft_post",
                {
                    "platform": "sandbox",
                    "text": "Menu: https://cafe.example/menu",
                    "track_links": True,
                    "campaign": "ai",
                },
            )
        )
        check = _data(await client.call_tool("check_draft", {"platform": "twitter", "text": "x" * 300}))
        scheduled = _data(
            await client.call_tool(
                "schedule_post",
                {
                    "post_id": draft["post"]["id"],
                    "scheduled_at": _future(),
                    "account_ids": [accounts["accounts"][0]["id"]],
                },
            )
        )
        calendar = _data(await client.call_tool("list_calendar", {}))
        analytics = _data(await client.call_tool("read_analytics", {"post_id": draft["post"]["id"]}))
        return {
            "tools": {t.name for t in tools.tools},
            "accounts": accounts,
            "draft": draft,
            "tracked": tracked,
            "check": check,
            "scheduled": scheduled,
            "calendar": calendar,
            "analytics": analytics,
        }

    out = _call(asgi_server, raw, steps)

    assert TOOLS <= out["tools"]
    assert out["accounts"]["accounts"] == [
        {"id": str(account.pk), "platform": "sandbox", "name": "Sandbox One", "health": account.health}
    ]
    assert out["draft"]["generated"] is True
    post = ContentPost.objects.get(pk=out["draft"]["post"]["id"])
    assert post.team == owner.current_team and post.author == owner and post.content.strip()
    link = TrackedLink.objects.get(post_id=out["tracked"]["post"]["id"])
    assert out["tracked"]["post"]["text"].endswith(f"/l/{link.code}") and "utm_campaign=ai" in link.destination
    assert out["check"]["canPublish"] is False
    assert out["check"]["issues"][0]["code"] == "too_long"
    row = ScheduledPost.objects.get(post=post)
    assert row.social_account == account and out["scheduled"]["scheduled"][0]["id"] == str(row.pk)
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
    assert [e["id"] for e in out["calendar"]["entries"]] == [str(row.pk)]
    assert out["analytics"]["post_id"] == str(post.pk)
    assert out["analytics"]["link_clicks"]["total"] == 0
    # Every tool call is on the team's audit trail, with the key that made it.
    verbs = list(
        ActivityEvent.objects.filter(team=owner.current_team, verb__startswith="mcp.").values_list("verb", "data")
    )
    assert {v for v, _ in verbs} == {f"mcp.{t}" for t in TOOLS}
    assert all(d["apiKey"] == _key.prefix and d["outcome"] == "ok" for _, d in verbs)


def test_a_read_only_key_reads_but_cannot_schedule(asgi_server, owner, account):
    post = ContentPostFactory(author=owner, team=owner.current_team, platform="sandbox")
    key, raw = api_key_create(user=owner, name="reader", scopes=["read"])

    async def steps(client: Client) -> tuple[Any, Any, Any]:
        listed = await client.call_tool("list_accounts", {})
        scheduled = await client.call_tool(
            "schedule_post", {"post_id": str(post.pk), "scheduled_at": _future(), "account_ids": [str(account.pk)]}
        )
        drafted = await client.call_tool("draft_post", {"platform": "sandbox", "text": "Hello"})
        return listed, scheduled, drafted

    listed, scheduled, drafted = _call(asgi_server, raw, steps)

    assert _data(listed)["accounts"]
    message = _error_text(scheduled)
    assert "PERMISSION_DENIED" in message and "read-only" in message and "write scope" in message
    assert "read-only" in _error_text(drafted)
    assert not ScheduledPost.objects.exists()
    assert ContentPost.objects.filter(team=owner.current_team).count() == 1
    refused = ActivityEvent.objects.get(verb="mcp.schedule_post")
    assert refused.data["outcome"] == "refused" and refused.data["error"] == "PERMISSION_DENIED"


def test_another_teams_post_and_account_are_not_found(asgi_server, owner, account):
    stranger = UserFactory()
    their_post = ContentPostFactory(author=stranger, team=stranger.current_team, platform="sandbox")
    their_account = SocialAccountFactory(team=stranger.current_team, platform="sandbox")
    _key, raw = api_key_create(user=owner, name="agent", scopes=["read", "write"])

    async def steps(client: Client) -> list[Any]:
        return [
            await client.call_tool(
                "schedule_post",
                {"post_id": str(their_post.pk), "scheduled_at": _future(), "account_ids": [str(account.pk)]},
            ),
            await client.call_tool("read_analytics", {"post_id": str(their_post.pk)}),
            await client.call_tool(
                "check_draft", {"platform": "sandbox", "text": "Hi", "account_ids": [str(their_account.pk)]}
            ),
        ]

    results = _call(asgi_server, raw, steps)

    for result in results:
        assert "NOT_FOUND" in _error_text(result)
    assert not ScheduledPost.objects.exists()


def test_without_a_valid_key_the_door_answers_401_in_the_error_envelope(asgi_server, owner):
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream"}

    missing = httpx.post(f"{asgi_server}/mcp", json=body, headers=headers)
    wrong = httpx.post(f"{asgi_server}/mcp", json=body, headers={**headers, "Authorization": "Bearer cg_live_nope_x"})

    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        error = response.json()["error"]
        assert response.json()["success"] is False and error["code"] == "INVALID_AUTHENTICATION"


def test_mcp_requests_share_the_rest_apis_rate_limit(asgi_server, owner, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "FREE": "2/hour"}
    _key, raw = api_key_create(user=owner, name="agent", scopes=["read"])
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {raw}"}

    first = httpx.post(f"{asgi_server}/mcp", json=body, headers=headers)
    codes = [first.status_code] + [
        httpx.post(f"{asgi_server}/mcp", json=body, headers=headers).status_code for _ in range(2)
    ]
    limited = httpx.post(f"{asgi_server}/mcp", json=body, headers=headers)

    assert codes[:2] == [200, 200] and codes[2] == 429
    assert (first.headers["X-RateLimit-Limit"], first.headers["X-RateLimit-Remaining"]) == ("2", "1")
    assert limited.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(limited.headers["Retry-After"]) > 0
