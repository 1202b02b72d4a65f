from __future__ import annotations

from typing import Any

from django import template

from core.stored_messages import message_render

register = template.Library()

# Moderation states drawn with the shared .status-<state> colours of app.css.
_STATES = {
    "allow": "success",
    "flag": "warning",
    "block": "failed",
    "open": "pending",
    "claimed": "processing",
    "approved": "success",
    "rejected": "failed",
    "appealed": "warning",
    "info": "pending",
}


@register.filter
def moderation_state(value: str) -> str:
    return _STATES.get(str(value), "pending")


@register.filter
def reason_text(reason: Any) -> str:
    """A stored reason's message in the reader's language (reasons stored before keys: as stored)."""
    if not isinstance(reason, dict):
        return str(getattr(reason, "localized", reason))
    return message_render(
        key=reason.get("key", ""), params=reason.get("params"), fallback=str(reason.get("message", ""))
    )


@register.filter
def check_label(value: str) -> str:
    """A check's name in the reader's language ("profanity" -> "Profanity"); an unknown one as it is."""
    from moderation.forms import REASON_LABELS

    return str(REASON_LABELS.get(str(value), value))
