from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, object]:
    """Values every page template may use (the unread-notification count comes from teams' processor)."""
    return {"SELF_HOSTED": settings.SELF_HOSTED, "PRODUCT_NAME": "ContentGenAI"}
