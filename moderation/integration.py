"""What the content, social and scheduling apps call. Each helper is one line at its call site.

- generation (content): `metadata["moderation"] = moderate_generated_text(team=..., text=..., platform=..., author=...)`
  and refuse a "block" with ContentBlocked (`refuse_blocked`).
- saving a draft (content): `refuse_blocked(...)`: a blocked text is not stored; a flagged one may be.
- publish, schedule, bulk publish: `ensure_publishable(...)`; a batch of deliveries (the scheduled
  dispatcher's workers): `ensure_publishable_many(team=..., items=[TextCheck(...), ...])`.
- after a successful publish (social): `record_published(...)` feeds the near-duplicate index
  (`record_published_many(...)` for a delivery task's batch).
"""

from __future__ import annotations

from typing import Any

from core.api.errors import ContentBlocked
from moderation.services import (
    TextCheck,
    ensure_publishable,
    ensure_publishable_many,
    publication_record,
    publication_record_many,
    text_moderate,
)
from moderation.types import ModerationResult

__all__ = [
    "ModerationResult",
    "TextCheck",
    "ensure_publishable",
    "ensure_publishable_many",
    "moderate_generated_text",
    "moderate",
    "record_published",
    "record_published_many",
    "refuse_blocked",
]


def moderate(
    *,
    team: Any,
    text: str,
    platform: str | None = None,
    author: Any = None,
    brand: Any = None,
    context: str = "generation",
    sponsored: bool = False,
    post_id: str | None = None,
) -> ModerationResult:
    return text_moderate(
        team=team,
        text=text,
        platform=platform,
        brand=brand,
        context=context,
        author=author,
        sponsored=sponsored,
        post_id=post_id,
    )


def moderate_generated_text(
    *, team: Any, text: str, platform: str | None = None, author: Any = None, brand: Any = None
) -> dict[str, Any]:
    """`{decision, reasons}` for a generated text: what the generate API puts in `metadata.moderation`."""
    return moderate(team=team, text=text, platform=platform, author=author, brand=brand).as_dict()


def refuse_blocked(
    *, team: Any, text: str, platform: str | None = None, author: Any = None, brand: Any = None
) -> ModerationResult:
    """Raise ContentBlocked (422) for a blocked text; flagged or clean text passes (drafts may be saved)."""
    result = moderate(team=team, text=text, platform=platform, author=author, brand=brand)
    if result.blocked:
        raise ContentBlocked(
            "This content was blocked by moderation.",
            details={"decision": "block", "code": "CONTENT_BLOCKED", "reasons": result.reason_dicts()},
        )
    return result


def record_published(*, team: Any, post_id: Any, text: str) -> None:
    publication_record(team=team, post_id=str(post_id), text=text)


def record_published_many(*, items: list[tuple[Any, Any, str]]) -> None:
    """`record_published` for a delivery task's posts, `(team, post_id, text)` each, in one statement."""
    publication_record_many(items=[(team, str(post_id), text) for team, post_id, text in items])
