"""Open calendars refresh when the team's schedules change: a `calendar.changed` team event, after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from teams.selectors import team_group_name

logger = logging.getLogger(__name__)


def calendar_changed(*, team_ids: Iterable[Any]) -> None:
    ids = {t for t in team_ids if t is not None}
    if ids:
        transaction.on_commit(lambda: _broadcast(ids))


def _broadcast(team_ids: set[Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    event = {"type": "team_event", "event": {"kind": "calendar.changed", "at": timezone.now().isoformat()}}
    for team_id in team_ids:
        try:
            async_to_sync(layer.group_send)(team_group_name(team_id), event)
        except Exception:  # a live refresh is a nicety; the schedule itself is stored
            logger.warning("calendar.broadcast_failed", exc_info=True)
