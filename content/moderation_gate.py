"""Every generated or saved text passes through `moderate_text`, which runs the moderation pipeline.

Content sits above moderation in the import order, so it calls the pipeline directly; callers
act on the decision (a "block" raises CONTENT_BLOCKED; "flag" is shown and gated at publish time).
"""

from __future__ import annotations

from typing import Any

from core.api.errors import ContentBlocked
from moderation.integration import moderate
from moderation.types import ModerationResult

ModerationDecision = ModerationResult


def allowed() -> ModerationResult:
    """The decision of a text nobody has checked yet (an empty generation result)."""
    return ModerationResult(decision="allow")


def moderate_text(*, text: str, team: Any, user: Any = None, platform: str = "") -> ModerationResult:
    return moderate(team=team, text=text, platform=platform or None, author=user)


def raise_if_blocked(decision: ModerationResult) -> None:
    if decision.blocked:
        raise ContentBlocked(
            "This content was blocked by moderation.",
            details={"decision": "block", "code": "CONTENT_BLOCKED", "reasons": decision.reason_dicts()},
        )
