from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from teams.selectors import team_groups_for_user


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """The browser's live channel: joins the user's group and each of their teams' groups."""

    groups_joined: list[str]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groups_joined = await database_sync_to_async(team_groups_for_user)(user=user)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def notify(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "notification", "notification": event["notification"], "unread": event["unread"]})

    async def team_event(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "team_event", "event": event.get("event", {})})
