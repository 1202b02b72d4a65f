"""One lookup helper: an id from a URL or a request body, as the row it names or a 404.

A malformed id is a missing row (404, never a 400 or a 500), so probing ids tells an outsider
nothing. Raises `NotFoundError`: the API answers it in the error envelope and pages get the 404
page from `core.middleware.ApiErrorPageMiddleware`, so views need no try/except of their own.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from core.api.errors import NotFoundError

M = TypeVar("M", bound=Model)


def uuid_or_404(value: Any, what: str) -> uuid.UUID:
    """`value` as a UUID, or "No such <what>." (404)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError, ValidationError) as exc:
        raise NotFoundError(f"No such {what}.") from exc


def get_or_404(queryset: QuerySet[M], *, pk: Any, what: str) -> M:
    """The row of `queryset` (already scoped to what the actor may see) with this id, or a 404."""
    row = queryset.filter(pk=uuid_or_404(pk, what)).first()
    if row is None:
        raise NotFoundError(f"No such {what}.")
    return row
