from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Alert:
    """A condition over its threshold now; `key` names it across evaluations (deduplication)."""

    key: str
    subject: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
