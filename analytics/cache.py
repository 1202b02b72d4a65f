"""The dashboard cache: one version number per team, bumped when new metrics land.

Keys carry the version, so invalidating a team is one write, whatever ranges and platforms were cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache


def _version_key(team_id: Any) -> str:
    return f"analytics:v:{team_id}"


def cached(team_id: Any, name: str, build: Callable[[], Any]) -> Any:
    version = cache.get(_version_key(team_id), 0)
    key = f"analytics:{team_id}:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.ANALYTICS_CACHE_SECONDS)
    return value


def invalidate(team_id: Any) -> None:
    cache.set(_version_key(team_id), time.time_ns(), None)
