"""Page messages for API errors: a plan refusal (402 PLAN_FEATURE_REQUIRED / 429 QUOTA_EXCEEDED with
`details.upgradeUrl`) becomes a toast with a "See plans" link (templates/partials/toasts.html)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from core.api.errors import ApiError

UPGRADE_TAG = "upgrade"


def upgrade_url_of(exc: ApiError) -> str | None:
    details = exc.details if isinstance(exc.details, dict) else {}
    url = details.get("upgradeUrl")
    return str(url) if url and exc.code in {"PLAN_FEATURE_REQUIRED", "QUOTA_EXCEEDED"} else None


def error_message(request: HttpRequest, exc: ApiError) -> None:
    """messages.error with the error's page message (a moderation block lists its reasons), tagged so
    the toast offers the upgrade when the plan refused it."""
    messages.error(request, exc.user_message(), extra_tags=UPGRADE_TAG if upgrade_url_of(exc) else "")
