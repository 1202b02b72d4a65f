"""A local-memory cache that writes down each read the code asks for: one entry per get or get_many
(a round trip to Redis in production), with the keys it named."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache

READS: list[list[str]] = []


class RecordingCache(LocMemCache):
    _inside = False

    def _noted(self, keys: list[str], read: Any) -> Any:
        if self._inside:  # LocMemCache.get_many calls get: one read, not many
            return read()
        READS.append([str(k) for k in keys])
        self._inside = True
        try:
            return read()
        finally:
            self._inside = False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._noted([key], lambda: super(RecordingCache, self).get(key, default, version))

    def get_many(self, keys: Any, version: int | None = None) -> Any:
        keys = list(keys)
        return self._noted(keys, lambda: super(RecordingCache, self).get_many(keys, version))
