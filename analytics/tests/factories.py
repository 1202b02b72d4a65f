from __future__ import annotations

from datetime import datetime
from typing import Any

from analytics.models import ContentAnalytics
from analytics.rollups import rollups_catch_up


def snapshot(post: Any, at: datetime, *, platform: str = "linkedin", **metrics: int) -> ContentAnalytics:
    return ContentAnalytics.objects.create(post=post, platform=platform, recorded_at=at, **metrics)


def bulk_snapshots(rows: list[dict]) -> None:
    """Insert like a metrics collector using bulk_create, then fold (no signals fire for bulk inserts)."""
    ContentAnalytics.objects.bulk_create(ContentAnalytics(**row) for row in rows)
    rollups_catch_up()
