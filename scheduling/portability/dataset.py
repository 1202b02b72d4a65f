"""What an export holds: one dict per record type, read with a fixed number of queries.

Anonymised exports swap author names, emails and account handles for stable pseudonyms (the same
person is the same pseudonym throughout one team's exports) and scrub any email address left in
free text. Tokens are never read: no credential column is selected.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from analytics.models import METRIC_FIELDS, ContentAnalytics
from content.models import ContentPost
from scheduling.models import ScheduledPost, ScheduleStatus
from social.models import SocialAccount
from teams.models import Membership, Team

KINDS: tuple[str, ...] = ("posts", "schedules", "analytics", "metadata")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
FORMAT_NAME = "contentgenai-export"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ExportFilters:
    kinds: tuple[str, ...] = KINDS
    date_from: date | None = None
    date_to: date | None = None
    anonymize: bool = False


class Pseudonyms:
    """Stable per team: an HMAC of the real value under the site key, never reversible."""

    def __init__(self, team: Team) -> None:
        self._key = f"{settings.SECRET_KEY}:portability:{team.pk}".encode()

    def _tag(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value.lower()}".encode(), hashlib.sha256).hexdigest()[:10]

    def person(self, value: str) -> str:
        return f"person-{self._tag('person', value)}" if value else ""

    def email(self, value: str) -> str:
        return f"person-{self._tag('person', value)}@example.invalid" if value else ""

    def handle(self, value: str) -> str:
        return f"account-{self._tag('handle', value)}" if value else ""

    def team(self, value: str) -> str:
        return f"team-{self._tag('team', value)}"

    def scrub(self, text: str) -> str:
        return EMAIL.sub(lambda m: self.email(m.group(0)), text)


def _iso(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else ""


def _range(field: str, filters: ExportFilters) -> dict[str, datetime]:
    """Inclusive UTC day bounds on `field`."""
    bounds: dict[str, datetime] = {}
    if filters.date_from:
        bounds[f"{field}__gte"] = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
    if filters.date_to:
        bounds[f"{field}__lte"] = datetime.combine(filters.date_to, time.max, tzinfo=UTC)
    return bounds


def _scrubbed(value: Any, names: Pseudonyms) -> Any:
    if isinstance(value, str):
        return names.scrub(value)
    if isinstance(value, list):
        return [_scrubbed(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v, names) for k, v in value.items()}
    return value


def _posts(team: Team, filters: ExportFilters, names: Pseudonyms | None) -> list[dict[str, Any]]:
    planned = ScheduledPost.objects.filter(status=ScheduleStatus.PENDING).select_related("social_account")
    posts = (
        ContentPost.objects.filter(team=team, **_range("created_at", filters))
        .select_related("author")
        .prefetch_related(Prefetch("scheduled_posts", queryset=planned, to_attr="pending"))
        .order_by("created_at", "id")
    )
    rows = []
    for post in posts:
        author_name = post.author.get_full_name() if post.author else ""
        author_email = post.author.email if post.author else ""
        handles = [s.social_account.account_name for s in post.pending if s.social_account]
        if names:
            author_name, author_email = names.person(author_email), names.email(author_email)
            handles = [names.handle(h) for h in handles]
        rows.append(
            {
                "id": str(post.pk),
                "title": post.title,
                "content": post.content,
                "hashtags": list(post.hashtags or []),
                "platform": post.platform,
                "tone": post.tone,
                "audience": post.audience,
                "status": post.status,
                "scheduled_at": _iso(post.scheduled_at) if post.pending else "",
                "timezone": post.pending[0].timezone if post.pending else "",
                "accounts": sorted(handles),
                "published_at": _iso(post.published_at),
                "engagement_score": post.engagement_score,
                "author": author_name,
                "author_email": author_email,
                "created_at": _iso(post.created_at),
                "metadata": post.metadata or {},
            }
        )
    return rows


def _schedules(team: Team, filters: ExportFilters, names: Pseudonyms | None) -> list[dict[str, Any]]:
    schedules = (
        ScheduledPost.objects.filter(team=team, **_range("scheduled_at", filters))
        .select_related("social_account")
        .order_by("scheduled_at", "id")
    )
    rows = []
    for row in schedules:
        handle = row.social_account.account_name if row.social_account else ""
        rows.append(
            {
                "id": str(row.pk),
                "post_id": str(row.post_id),
                "platform": row.platform,
                "account": names.handle(handle) if names else handle,
                "scheduled_at": _iso(row.scheduled_at),
                "timezone": row.timezone,
                "status": row.status,
                "attempts": row.attempts,
                "last_error": row.last_error or "",
                "completed_at": _iso(row.completed_at),
                "in_queue": row.in_queue,
            }
        )
    return rows


def _analytics(team: Team, filters: ExportFilters) -> list[dict[str, Any]]:
    snapshots = ContentAnalytics.objects.filter(post__team=team, **_range("recorded_at", filters)).order_by(
        "recorded_at", "id"
    )
    return [
        {
            "post_id": str(s.post_id),
            "platform": s.platform,
            **{name: getattr(s, name) for name in METRIC_FIELDS},
            "engagement_rate": s.engagement_rate,
            "recorded_at": _iso(s.recorded_at),
        }
        for s in snapshots
    ]


def _metadata(team: Team, names: Pseudonyms | None) -> dict[str, Any]:
    accounts = SocialAccount.objects.filter(team=team).only("id", "platform", "account_name", "is_active")
    members = Membership.objects.filter(team=team).select_related("user").order_by("created_at")
    return {
        "team": {"id": str(team.pk), "name": names.team(team.name) if names else team.name, "timezone": team.timezone},
        "accounts": [
            {
                "id": str(a.pk),
                "platform": a.platform,
                "handle": names.handle(a.account_name) if names else a.account_name,
                "active": a.is_active,
            }
            for a in accounts
        ],
        "members": [
            {
                "name": names.person(m.user.email) if names else m.user.get_full_name(),
                "email": names.email(m.user.email) if names else m.user.email,
                "role": m.role,
            }
            for m in members
        ],
    }


def export_dataset(*, team: Team, filters: ExportFilters) -> dict[str, Any]:
    names = Pseudonyms(team) if filters.anonymize else None
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "filters": {
            "types": list(filters.kinds),
            "from": filters.date_from.isoformat() if filters.date_from else None,
            "to": filters.date_to.isoformat() if filters.date_to else None,
            "anonymized": filters.anonymize,
        },
    }
    if "posts" in filters.kinds:
        data["posts"] = _posts(team, filters, names)
    if "schedules" in filters.kinds:
        data["schedules"] = _schedules(team, filters, names)
    if "analytics" in filters.kinds:
        data["analytics"] = _analytics(team, filters)
    if "metadata" in filters.kinds:
        data["metadata"] = _metadata(team, names)
    return _scrubbed(data, names) if names else data
