"""The append-only moderation audit log: writing events and exporting them for compliance."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from core.spreadsheet import SafeDictCsvWriter
from moderation.models import ModerationAuditEvent

EXPORT_FIELDS = [
    "id",
    "at",
    "kind",
    "team_id",
    "actor_id",
    "actor_email",
    "case_id",
    "subject_type",
    "subject_id",
    "context",
    "text_hash",
    "decision",
    "status_before",
    "status_after",
    "reasons",
    "note",
]


def audit_event(
    *,
    kind: str,
    team: Any = None,
    actor: Any = None,
    case: Any = None,
    subject_type: str = "",
    subject_id: str = "",
    context: str = "",
    text_hash: str = "",
    decision: str = "",
    status_before: str = "",
    status_after: str = "",
    reasons: list[dict[str, Any]] | None = None,
    note: str = "",
) -> ModerationAuditEvent:
    """An unsaved event: `audit_record` saves one, `audit_record_many` a batch in one statement."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return ModerationAuditEvent(
        kind=kind,
        team_id=getattr(team, "pk", team),
        actor_id=actor.pk if is_user else None,
        actor_email=actor.email if is_user else "",
        case_id=getattr(case, "pk", case),
        subject_type=subject_type or (case.subject_type if case is not None and hasattr(case, "subject_type") else ""),
        subject_id=subject_id or (case.subject_id if case is not None and hasattr(case, "subject_id") else ""),
        context=context,
        text_hash=text_hash,
        decision=decision,
        status_before=status_before,
        status_after=status_after,
        reasons=reasons or [],
        note=note,
    )


def audit_record(**fields: Any) -> ModerationAuditEvent:
    """Append one event; the keyword arguments are `audit_event`'s."""
    event = audit_event(**fields)
    event.save()
    return event


def audit_record_many(events: list[ModerationAuditEvent]) -> None:
    ModerationAuditEvent.objects.bulk_create(events)


def audit_events_between(*, start: datetime | None, end: datetime | None) -> QuerySet[ModerationAuditEvent]:
    events = ModerationAuditEvent.objects.order_by("at", "id")
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lt=end)
    return events


def _row(event: ModerationAuditEvent) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in EXPORT_FIELDS}
    for name in ("id", "team_id", "actor_id", "case_id"):
        row[name] = str(row[name]) if row[name] else ""
    row["at"] = event.at.isoformat()
    return row


def audit_export_csv(events: Iterable[ModerationAuditEvent]) -> str:
    out = io.StringIO()
    # Notes and reasons are user text: the safe writer keeps a leading "=" from running as a formula.
    writer = SafeDictCsvWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for event in events:
        row = _row(event)
        row["reasons"] = json.dumps(row["reasons"], ensure_ascii=False)
        writer.writerow(row)
    return out.getvalue()


def audit_export_json(events: Iterable[ModerationAuditEvent]) -> str:
    return json.dumps([_row(event) for event in events], ensure_ascii=False, indent=1)
