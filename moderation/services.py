"""The moderation pipeline and the review workflow.

`text_moderate` runs every check and decides allow / flag / block; `ensure_publishable` is the
gate every publishing path calls; the `case_*` functions are the moderators' and authors' actions.
Every decision and action leaves a row in the append-only audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from accounts.permissions import has_platform_role
from core.api.errors import ConflictError, ContentBlocked, PermissionDeniedError, ValidationFailed
from core.events import MODERATION_CASE_OPENED, event_emit
from core.stored_messages import Message
from core.write_buffer import buffered_create
from moderation import memo
from moderation.audit import audit_event, audit_record, audit_record_many
from moderation.checks.ai import ai_configured, ai_scores_summary, check_ai
from moderation.checks.duplicates import (
    NearDuplicate,
    duplicate_reasons,
    fingerprints_record_many,
    near_duplicates,
    near_duplicates_many,
)
from moderation.checks.lists import check_age, check_guidelines, check_profanity
from moderation.checks.policy import (
    ProtectedTerms,
    apply_strictness,
    check_disclosure,
    check_protected_terms,
    check_rules,
    effective_policy,
    policies_load,
    protected_terms_load,
)
from moderation.models import CaseStatus, ModerationAuditEvent, ModerationCase
from moderation.notifications import notify_author, notify_moderators
from moderation.text import text_hash
from moderation.types import ModerationResult, Reason, decide

PLATFORM_ALIASES = {"x": "twitter"}
CONTEXTS = ("generation", "publish", "check")
PENDING = (CaseStatus.OPEN, CaseStatus.CLAIMED, CaseStatus.APPEALED)


def is_moderator(user: Any) -> bool:
    return has_platform_role(user, User.PlatformRole.MODERATOR)


def is_platform_admin(user: Any) -> bool:
    return has_platform_role(user, User.PlatformRole.ADMIN)


@dataclass(frozen=True)
class TextCheck:
    """One text to decide on, with what the decision depends on besides the team."""

    text: str
    platform: str | None = None
    brand_id: Any = None
    sponsored: bool = False
    post_id: str | None = None
    author: Any = None


def _platform(platform: str | None) -> str | None:
    return PLATFORM_ALIASES.get((platform or "").lower(), (platform or "").lower()) or None


def _decide(
    item: TextCheck,
    *,
    policies: dict[Any, Any],
    terms: ProtectedTerms,
    duplicates: list[NearDuplicate],
    team: Any,
) -> tuple[ModerationResult, bool]:
    """Every check on one text, given what was loaded for its team. The flag says whether the AI
    check was wanted but could not run (such a decision is not memoised)."""
    text, platform = item.text, _platform(item.platform)
    policy = effective_policy(policies, brand_id=item.brand_id)
    reasons: list[Reason] = []
    reasons += check_profanity(text)
    reasons += check_guidelines(text, platform=platform, min_audience_age=policy.min_audience_age)
    reasons += check_age(text, min_audience_age=policy.min_audience_age)
    reasons += check_rules(text, policy.rules)
    reasons += check_disclosure(text, sponsored=item.sponsored, policy=policy)
    reasons += check_protected_terms(text, terms=terms, policy=policy)
    duplicate_found, similarity = duplicate_reasons(duplicates, team=team)
    reasons += duplicate_found
    scores: dict[str, Any] = {"duplicate_similarity": round(similarity, 4)}
    ai_missing = False
    if policy.ai_enabled:
        verdict = check_ai(text)
        reasons += verdict.reasons
        if verdict.ran:
            scores["ai"] = ai_scores_summary(verdict)
        ai_missing = ai_configured() and not verdict.ran
    reasons = apply_strictness(reasons, policy.strictness)
    reasons += _checks_note(ai_wanted=policy.ai_enabled)
    result = ModerationResult(decision=decide(reasons), reasons=reasons, scores=scores, text_hash=text_hash(text))
    return result, ai_missing


def _checks_note(*, ai_wanted: bool) -> list[Reason]:
    """Say when only the local lists ran, so an "allow" is never mistaken for an AI review."""
    if not ai_configured():
        message = Message(gettext_noop("Local lists only: no AI moderation configured."))
        return [Reason(check="ai", code="ai_not_configured", message=message, severity="info")]
    if not ai_wanted:
        message = Message(gettext_noop("Local lists only: AI moderation is off in your team's policy."))
        return [Reason(check="ai", code="ai_off_for_team", message=message, severity="info")]
    return []


def _decision_event(team: Any, item: TextCheck, result: ModerationResult, context: str) -> ModerationAuditEvent:
    return audit_event(
        kind=ModerationAuditEvent.Kind.DECISION,
        team=team,
        actor=item.author,
        subject_type="post" if item.post_id else "text",
        subject_id=str(item.post_id or ""),
        context=context if context in CONTEXTS else "generation",
        text_hash=result.text_hash,
        decision=result.decision,
        reasons=result.reason_dicts(),
    )


def texts_moderate(*, team: Any, items: Sequence[TextCheck], context: str = "publish") -> list[ModerationResult]:
    """Decide on many texts of one team at once: the policy, the protected terms and the
    near-duplicate search are loaded once for all of them, and the audit rows go in one statement.

    Each text is checked against what was published before the call, as `text_moderate` would.
    """
    if not items:
        return []
    policies = policies_load(team=team)
    terms = protected_terms_load(team=team)
    matches = near_duplicates_many([(item.text, item.post_id) for item in items])
    results = [
        _decide(item, policies=policies, terms=terms, duplicates=found, team=team)[0]
        for item, found in zip(items, matches, strict=True)
    ]
    audit_record_many([_decision_event(team, item, r, context) for item, r in zip(items, results, strict=True)])
    return results


def text_moderate(
    *,
    team: Any,
    text: str,
    platform: str | None = None,
    brand: Any = None,
    context: str = "generation",
    author: Any = None,
    sponsored: bool = False,
    post_id: str | None = None,
) -> ModerationResult:
    """Run every check on a text and decide. Never raises for a provider outage.

    A decision made for the same team, text and options is reused while nothing it depends on has
    changed (moderation.memo); the call is recorded in the audit log either way (a reused decision's
    row in a batch with others, core.write_buffer, so a repeated check writes nothing on its own).
    """
    item = TextCheck(
        text=text,
        platform=platform,
        brand_id=getattr(brand, "pk", brand),
        sponsored=sponsored,
        post_id=str(post_id) if post_id else None,
        author=author,
    )
    hashed = text_hash(text)
    lookup = None
    if memo.enabled():
        lookup = memo.memo_lookup(
            team_id=getattr(team, "pk", team),
            text_hash=hashed,
            text=text,
            platform=_platform(platform),
            brand_id=item.brand_id,
            sponsored=sponsored,
            post_id=item.post_id,
        )
    reused = lookup is not None and lookup.result is not None
    if lookup is not None and lookup.result is not None:
        result = replace(lookup.result, reasons=list(lookup.result.reasons), scores=dict(lookup.result.scores))
    else:
        tokens = memo.memo_tokens_ensure(lookup) if lookup is not None else {}
        duplicates = near_duplicates(text, exclude_post_id=item.post_id)
        policies, terms = policies_load(team=team), protected_terms_load(team=team)
        result, ai_missing = _decide(item, policies=policies, terms=terms, duplicates=duplicates, team=team)
        if lookup is not None and not ai_missing:
            memo.memo_store(lookup, tokens, result)
    event = _decision_event(team, item, result, context)
    if reused:
        buffered_create(event)  # a reused decision's audit row goes in the next batch
    else:
        event.save()
    return result


def case_for_text(*, team: Any, text_hash: str) -> ModerationCase | None:
    """The case deciding a text: an approval wins, else the newest case."""
    cases = ModerationCase.objects.filter(team=team, text_hash=text_hash)
    return cases.filter(status=CaseStatus.APPROVED).first() or cases.order_by("-created_at").first()


def case_submit(
    *,
    team: Any,
    author: Any,
    text: str,
    result: ModerationResult,
    platform: str | None = None,
    subject_type: str = "text",
    subject_id: str = "",
) -> ModerationCase:
    """Open a case for a flagged or blocked text, or return the one that already decides it."""
    existing = case_for_text(team=team, text_hash=result.text_hash)
    if existing is not None:
        return existing
    blocked = result.decision == "block"
    now = timezone.now()
    case = ModerationCase.objects.create(
        team=team,
        author=author if getattr(author, "is_authenticated", False) else None,
        subject_type=subject_type,
        subject_id=str(subject_id or ""),
        platform=platform or "",
        text=text,
        text_hash=result.text_hash,
        decision=result.decision,
        reasons=result.reason_dicts(),
        scores=result.scores,
        # A block is decided already; the case exists so the author can appeal it.
        status=CaseStatus.REJECTED if blocked else CaseStatus.OPEN,
        resolved_at=now if blocked else None,
        note="Blocked automatically." if blocked else "",
    )
    audit_record(
        kind=ModerationAuditEvent.Kind.CASE_OPENED,
        team=team,
        actor=author,
        case=case,
        text_hash=case.text_hash,
        decision=case.decision,
        status_after=case.status,
        reasons=case.reasons,
    )
    if case.status == CaseStatus.OPEN:
        notify_moderators(case, title=gettext_lazy("New moderation case"))
    event_emit(
        name=MODERATION_CASE_OPENED,
        team_id=team.pk,
        data={
            "case": {
                "id": str(case.pk),
                "status": case.status,
                "decision": case.decision,
                "subject_type": case.subject_type,
                "subject_id": case.subject_id,
                "platform": case.platform,
                "reasons": case.reasons,
                "created_at": case.created_at.isoformat(),
            }
        },
    )
    return case


def ensure_publishable(
    *,
    team: Any,
    text: str,
    platform: str | None,
    post_id: str | None = None,
    author: Any = None,
    brand: Any = None,
    sponsored: bool = False,
) -> ModerationResult:
    """Raise ContentBlocked (422) unless the text may be published now.

    A blocked text is refused; a flagged one opens a review case and is refused with
    `details.code == "NEEDS_REVIEW"` until a moderator approves it. An approved case for the same
    text (by hash) lets it through. Call it before opening the publishing transaction: a rollback
    would also undo the review case it opens.
    """
    result = text_moderate(
        team=team,
        text=text,
        platform=platform,
        brand=brand,
        context="publish",
        author=author,
        sponsored=sponsored,
        post_id=post_id,
    )
    item = TextCheck(text=text, platform=platform, post_id=post_id, author=author)
    return _publishable_or_raise(team=team, item=item, result=result)


def ensure_publishable_many(*, team: Any, items: Sequence[TextCheck]) -> list[ModerationResult | ContentBlocked]:
    """`ensure_publishable` for many texts of one team (the dispatcher's batches): for each, the
    decision when it may be published, else the ContentBlocked it would raise. The checks run once
    for the batch (`texts_moderate`); only flagged or blocked texts do more (their review case)."""
    out: list[ModerationResult | ContentBlocked] = []
    for item, result in zip(items, texts_moderate(team=team, items=items, context="publish"), strict=True):
        try:
            out.append(_publishable_or_raise(team=team, item=item, result=result))
        except ContentBlocked as exc:
            out.append(exc)
    return out


def _publishable_or_raise(*, team: Any, item: TextCheck, result: ModerationResult) -> ModerationResult:
    if result.decision == "allow":
        return result
    case = case_submit(
        team=team,
        author=item.author,
        text=item.text,
        result=result,
        platform=item.platform,
        subject_type="post" if item.post_id else "text",
        subject_id=str(item.post_id or ""),
    )
    result.case_id = str(case.pk)
    if case.status == CaseStatus.APPROVED:
        return result
    details = {"decision": result.decision, "reasons": result.reason_dicts(), "case_id": str(case.pk)}
    if case.status == CaseStatus.REJECTED and case.resolved_by_id:
        raise ContentBlocked("A moderator rejected this content.", details={**details, "code": "REJECTED"})
    if result.decision == "block":
        raise ContentBlocked("This content was blocked by moderation.", details={**details, "code": "CONTENT_BLOCKED"})
    raise ContentBlocked(
        "This content needs a moderator's approval before it can be published.",
        details={**details, "code": "NEEDS_REVIEW"},
    )


def publication_record(*, team: Any, post_id: str, text: str) -> None:
    """Add a published text to the near-duplicate index (`publication_record_many` of one)."""
    publication_record_many(items=[(team, post_id, text)])


def publication_record_many(*, items: Sequence[tuple[Any, str, str]]) -> None:
    """`publication_record` for many `(team, post_id, text)`: one statement, and the memo told once."""
    recorded = fingerprints_record_many(items)
    if recorded:
        memo.fingerprints_changed([f.simhash for f in recorded])


def _locked(case: ModerationCase) -> ModerationCase:
    return ModerationCase.objects.select_for_update().get(pk=case.pk)


def _transition(
    *,
    case: ModerationCase,
    actor: User,
    kind: str,
    allowed_from: tuple[str, ...],
    changes: dict[str, Any],
    note: str = "",
) -> ModerationCase:
    with transaction.atomic():
        locked = _locked(case)
        if locked.status not in allowed_from:
            raise ConflictError(
                f"This case is {locked.get_status_display().lower()}; it cannot be {kind} now.",
                details={"status": [locked.status]},
            )
        if kind == "claimed" and locked.claimed_by_id and locked.claimed_by_id != actor.pk:
            raise ConflictError("Another moderator has claimed this case.", details={"status": [locked.status]})
        before = locked.status
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            kind=kind,
            team=locked.team_id,
            actor=actor,
            case=locked,
            text_hash=locked.text_hash,
            decision=locked.decision,
            status_before=before,
            status_after=locked.status,
            reasons=locked.reasons,
            note=note,
        )
    return locked


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDeniedError("Only moderators can do this.")


def case_claim(*, case: ModerationCase, moderator: User) -> ModerationCase:
    _require_moderator(moderator)
    return _transition(
        case=case,
        actor=moderator,
        kind=ModerationAuditEvent.Kind.CLAIMED,
        allowed_from=(CaseStatus.OPEN, CaseStatus.APPEALED, CaseStatus.CLAIMED),
        changes={"status": CaseStatus.CLAIMED, "claimed_by": moderator, "claimed_at": timezone.now()},
    )


def _resolve(*, case: ModerationCase, moderator: User, status: str, note: str) -> ModerationCase:
    _require_moderator(moderator)
    kind = ModerationAuditEvent.Kind.APPROVED if status == CaseStatus.APPROVED else ModerationAuditEvent.Kind.REJECTED
    resolved = _transition(
        case=case,
        actor=moderator,
        kind=kind,
        allowed_from=PENDING,
        changes={"status": status, "resolved_by": moderator, "resolved_at": timezone.now(), "note": note.strip()},
        note=note.strip(),
    )
    notify_author(resolved)
    return resolved


def case_approve(*, case: ModerationCase, moderator: User, note: str = "") -> ModerationCase:
    return _resolve(case=case, moderator=moderator, status=CaseStatus.APPROVED, note=note)


def case_reject(*, case: ModerationCase, moderator: User, note: str) -> ModerationCase:
    if not note.strip():
        raise ValidationFailed("Say why the content is rejected.", details={"note": ["Give the author a reason."]})
    return _resolve(case=case, moderator=moderator, status=CaseStatus.REJECTED, note=note)


def case_appeal(*, case: ModerationCase, user: User, message: str) -> ModerationCase:
    """The author asks for another look, once, with a message; the case goes back to the queue."""
    if not message.strip():
        raise ValidationFailed("Tell the moderators why.", details={"message": ["Write a message."]})
    if case.appealed_at is not None:
        raise ConflictError("This case was already appealed; an appeal is possible once.")
    appealed = _transition(
        case=case,
        actor=user,
        kind=ModerationAuditEvent.Kind.APPEALED,
        allowed_from=(CaseStatus.REJECTED,),
        changes={
            "status": CaseStatus.APPEALED,
            "appeal_message": message.strip()[:2000],
            "appealed_at": timezone.now(),
            "claimed_by": None,
            "claimed_at": None,
        },
        note=message.strip()[:2000],
    )
    notify_moderators(appealed, title=gettext_lazy("Appeal to review"))
    return appealed
