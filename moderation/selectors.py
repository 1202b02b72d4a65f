"""Moderation reads. Moderators see every team's cases; everyone else only their team's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from moderation.models import ModerationCase
from moderation.services import is_moderator

CASE_RELATED = ("team", "author", "claimed_by", "resolved_by")


def cases_visible_to(*, user: Any, team: Any) -> QuerySet[ModerationCase]:
    cases = ModerationCase.objects.select_related(*CASE_RELATED)
    if is_moderator(user):
        return cases
    return cases.filter(team=team)


def cases_filtered(
    cases: QuerySet[ModerationCase],
    *,
    status: str | None = None,
    decision: str | None = None,
    mine: bool = False,
    user: Any = None,
    query: str | None = None,
) -> QuerySet[ModerationCase]:
    if status == "pending":
        cases = cases.filter(status__in=("open", "claimed", "appealed"))
    elif status:
        cases = cases.filter(status=status)
    if decision:
        cases = cases.filter(decision=decision)
    if mine and user is not None:
        cases = cases.filter(Q(claimed_by=user) | Q(author=user))
    if query:
        cases = cases.filter(Q(text__icontains=query) | Q(team__name__icontains=query))
    return cases


def case_get(*, user: Any, team: Any, case_id: str | UUID) -> ModerationCase:
    """One case the user may see, or 404: another team's case does not exist for them."""
    try:
        return cases_visible_to(user=user, team=team).get(pk=case_id)
    except (ModerationCase.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404("No such case.") from exc


def cases_by_ids(case_ids: list[str]) -> dict[str, ModerationCase]:
    """Cases by id string, for a moderator's bulk decision; ids that are not UUIDs are left out."""
    valid = []
    for case_id in case_ids:
        try:
            valid.append(UUID(case_id))
        except (ValueError, TypeError):
            continue
    return {str(case.pk): case for case in ModerationCase.objects.select_related(*CASE_RELATED).filter(pk__in=valid)}
