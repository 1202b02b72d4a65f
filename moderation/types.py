"""What a moderation run returns: a decision, the reasons behind it, and the raw scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from core.stored_messages import Message, message_render, message_split

Severity = Literal["info", "flag", "block"]
DecisionValue = Literal["allow", "flag", "block"]


@dataclass(frozen=True)
class Reason:
    check: str  # which check produced it: profanity, guidelines, age, policy, disclosure, trademark, duplicate, ai
    code: str  # machine-readable, stable
    # Shown to the author and to moderators, each in their language: a `Message` is kept as its key
    # and parameters (stored with the case) and `message` holds its English text.
    message: str | Message
    severity: Severity
    span: tuple[int, int] | None = None
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.message, Message):
            english, key, params = message_split(self.message)
            object.__setattr__(self, "message", english)
            object.__setattr__(self, "key", key)
            object.__setattr__(self, "params", params)

    @property
    def localized(self) -> str:
        return message_render(key=self.key, params=self.params, fallback=str(self.message))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "check": self.check,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }
        if self.span is not None:
            data["span"] = list(self.span)
        if self.key:
            data["key"], data["params"] = self.key, self.params
        return data


def decide(reasons: list[Reason]) -> DecisionValue:
    """The strictest severity wins: any block blocks, else any flag needs a human, else allow."""
    severities = {reason.severity for reason in reasons}
    if "block" in severities:
        return "block"
    if "flag" in severities:
        return "flag"
    return "allow"


@dataclass
class ModerationResult:
    decision: DecisionValue
    reasons: list[Reason] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    text_hash: str = ""
    case_id: str | None = None

    @property
    def blocked(self) -> bool:
        return self.decision == "block"

    @property
    def needs_review(self) -> bool:
        return self.decision == "flag"

    def reason_dicts(self) -> list[dict[str, Any]]:
        return [reason.as_dict() for reason in self.reasons]

    def as_dict(self) -> dict[str, Any]:
        """The `metadata.moderation` shape of the generate API: `{decision, reasons}`."""
        return {"decision": self.decision, "reasons": self.reason_dicts()}
