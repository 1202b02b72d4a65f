"""The admin's AIProviderConfig rows, read once per process and configuration version.

Reading (and decrypting) the rows on every generation request cost a query on every cache hit. A change
to any row (save or delete, through the admin or any code path that uses the ORM) gives the
configuration a new version in the shared cache, so every web process reads the rows again on its next
request. Connected in `ContentConfig.ready()`, so a process that only edits rows (the admin) still
announces the change.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from content.models import AIProviderConfig
from core.cache import cache_get

CONFIG_VERSION_KEY = "ai:provider-config-version"
_MEMO_LIMIT = 2048  # teams remembered per process; past it the memo starts again
_memo: dict[Any, tuple[str, list[AIProviderConfig]]] = {}
_memo_lock = threading.Lock()


def config_version(*, read_ahead: Mapping[str, Any] | None = None) -> str | None:
    """The configuration's current version (a random token, so a cleared cache never brings an old one back).

    None when the cache cannot answer: then nothing is remembered and the rows are read every time.
    `read_ahead`: values the caller read from the cache in one round trip with others; the version is
    taken from it when it is there.
    """
    version = cache_get(CONFIG_VERSION_KEY, read_ahead)
    if version is None:
        cache.add(CONFIG_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CONFIG_VERSION_KEY)
    return version


def _new_config_version() -> None:
    cache.set(CONFIG_VERSION_KEY, uuid.uuid4().hex, timeout=None)


@receiver(post_save, sender=AIProviderConfig, dispatch_uid="content.providers.config_changed.save")
@receiver(post_delete, sender=AIProviderConfig, dispatch_uid="content.providers.config_changed.delete")
def config_changed(**kwargs: Any) -> None:
    # Now, so this process sees its own change at once, and again after commit, so a process that read
    # the rows between the two (still the old ones) does not keep them.
    _new_config_version()
    transaction.on_commit(_new_config_version)


def config_rows(team: Any | None, *, read_ahead: Mapping[str, Any] | None = None) -> list[AIProviderConfig]:
    """Global rows first, then the team's, so the team's own settings win (one query per version)."""
    team_id = getattr(team, "pk", None)
    version = config_version(read_ahead=read_ahead)
    if version is not None:
        remembered = _memo.get(team_id)
        if remembered is not None and remembered[0] == version:
            return remembered[1]
    rows = AIProviderConfig.objects.filter(team__isnull=True)
    if team_id is not None:
        rows = AIProviderConfig.objects.filter(team__isnull=True) | AIProviderConfig.objects.filter(team_id=team_id)
    ordered = sorted(rows, key=lambda r: r.team_id is not None)
    if version is not None:
        with _memo_lock:
            if len(_memo) >= _MEMO_LIMIT:
                _memo.clear()
            _memo[team_id] = (version, ordered)
    return ordered
