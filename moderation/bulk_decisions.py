"""A moderator's decision on many cases at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accounts.models import User
from core.api.errors import ConflictError, PermissionDeniedError, ValidationFailed
from moderation.models import ModerationCase
from moderation.selectors import cases_by_ids
from moderation.services import case_approve, case_reject, is_moderator

BULK_MAX_CASES = 100


@dataclass
class BulkOutcome:
    decided: list[ModerationCase]
    skipped: list[tuple[str, str]]  # (case id, why)


def cases_decide_bulk(*, case_ids: Sequence[str], moderator: User, action: str, note: str) -> BulkOutcome:
    """Approve or reject many cases with one note. Each case is decided on its own (its own lock,
    audit row and author notification); one already decided by someone else is skipped, not fatal."""
    if not is_moderator(moderator):
        raise PermissionDeniedError("Only moderators can do this.")
    errors: dict[str, list[str]] = {}
    if action not in ("approve", "reject"):
        errors["action"] = ["One of approve, reject."]
    ids = list(dict.fromkeys(str(case_id) for case_id in case_ids))
    if not ids:
        errors["caseIds"] = ["Choose at least one case."]
    elif len(ids) > BULK_MAX_CASES:
        errors["caseIds"] = [f"At most {BULK_MAX_CASES} cases at once."]
    if action == "reject" and not note.strip():
        errors["note"] = ["Give the authors a reason."]
    if errors:
        raise ValidationFailed("The bulk decision is not valid.", details=errors)
    found = cases_by_ids(ids)
    outcome = BulkOutcome(decided=[], skipped=[])
    for case_id in ids:
        case = found.get(case_id)
        if case is None:
            outcome.skipped.append((case_id, "No such case."))
            continue
        try:
            decide_one = case_approve if action == "approve" else case_reject
            outcome.decided.append(decide_one(case=case, moderator=moderator, note=note))
        except ConflictError as exc:
            outcome.skipped.append((case_id, exc.message))
    return outcome
