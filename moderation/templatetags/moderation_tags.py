from __future__ import annotations

from django import template

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
