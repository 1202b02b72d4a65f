"""Reads of the sandbox platform's timeline: what the sandbox received from one workspace.

A delivery belongs to the workspace whose publish result carries its idempotency key (the key the
publisher sent with it), so two workspaces that connected the same sandbox profile never see each
other's posts, and a delivery stored twice (double posting) shows twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Subquery
from django.utils import timezone

from content.selectors import posts_visible
from core.api.errors import NotFoundError
from core.lookups import uuid_or_404
from social.models import Platform, PublishResult, SandboxPost
from social.platforms.base import PostMetrics
from social.platforms.sandbox import sandbox_metrics
from teams.models import Team
from teams.permissions import TeamContext

PAGE_SIZE = 30


@dataclass(frozen=True)
class Delivery:
    row: SandboxPost
    result: PublishResult | None

    @property
    def metrics(self) -> PostMetrics:
        """Simulated: the sandbox grows figures with the post's age, as a real network would."""
        return sandbox_metrics(str(self.row.pk), age=timezone.now() - self.row.created_at)


def _results(*, team: Team, viewer: TeamContext | None) -> Any:
    return PublishResult.objects.filter(
        platform=Platform.SANDBOX, post__in=Subquery(posts_visible(team=team, viewer=viewer).values("pk"))
    )


def _deliveries(rows: list[SandboxPost], results: Any) -> list[Delivery]:
    by_key = {
        r.idempotency_key: r
        for r in results.filter(idempotency_key__in={row.idempotency_key for row in rows}).select_related(
            "post", "social_account"
        )
    }
    return [Delivery(row=row, result=by_key.get(row.idempotency_key)) for row in rows]


def sandbox_timeline(
    *, team: Team, viewer: TeamContext | None = None, before: datetime | None = None
) -> tuple[list[Delivery], datetime | None]:
    """The newest deliveries first, a page at a time; the second value is where the next page starts."""
    results = _results(team=team, viewer=viewer)
    rows_qs = SandboxPost.objects.filter(idempotency_key__in=Subquery(results.values("idempotency_key")))
    if before is not None:
        rows_qs = rows_qs.filter(created_at__lt=before)
    rows = list(rows_qs.order_by("-created_at")[: PAGE_SIZE + 1])
    next_before = rows[PAGE_SIZE - 1].created_at if len(rows) > PAGE_SIZE else None
    return _deliveries(rows[:PAGE_SIZE], results), next_before


def sandbox_delivery_get(*, team: Team, delivery_id: Any, viewer: TeamContext | None = None) -> Delivery:
    results = _results(team=team, viewer=viewer)
    row = SandboxPost.objects.filter(
        pk=uuid_or_404(delivery_id, "delivery"), idempotency_key__in=Subquery(results.values("idempotency_key"))
    ).first()
    if row is None:
        raise NotFoundError("No such sandbox post.")
    return _deliveries([row], results)[0]
