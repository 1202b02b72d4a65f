"""Portability reads: a team's exports, one export by id (another team's is a 404)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from core.api.errors import NotFoundError
from scheduling.models import DataExport
from teams.models import Team


def exports_for_team(*, team: Team) -> QuerySet[DataExport]:
    return DataExport.objects.filter(team=team).select_related("requested_by").order_by("-created_at")


def export_get(*, team: Team, export_id: Any) -> DataExport:
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError as exc:
        raise NotFoundError("No such export.") from exc
    export = DataExport.objects.filter(team=team, pk=pk).first()
    if export is None:
        raise NotFoundError("No such export.")
    return export
