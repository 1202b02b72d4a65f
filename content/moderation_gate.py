"""The moderation integration point: every generated or saved text passes through `moderate_text`.

The moderation issue plugs its checks in here (policy rules, AI moderation, protected terms); until
then every text is allowed, and callers already act on the decision (a "block" raises CONTENT_BLOCKED).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ModerationDecision:
    decision: Literal["allow", "review", "block"] = "allow"
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "reasons": list(self.reasons)}


def moderate_text(*, text: str, team: Any, user: Any = None, platform: str = "") -> ModerationDecision:
    return ModerationDecision()
