"""A team's own moderation policy as its admins edit it in the dashboard and the API.

The team-wide ModerationPolicy row holds the settings; blocked and flagged phrases are its
word rules (patterns and topics stay an operator's tool, edited in the admin and left untouched
here); protected terms are the team's ProtectedTerm rows. One function reads it, one writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from core.api.errors import ValidationFailed
from moderation.audit import audit_record
from moderation.checks.ai import ai_configured
from moderation.checks.policy import TUNABLE_CHECKS, valid_strictness
from moderation.models import Action, ModerationAuditEvent, ModerationPolicy, PolicyRule, ProtectedTerm
from teams.permissions import Capability, TeamContext, require

MAX_PHRASES = 500
MAX_PHRASE_LENGTH = 200
AUDIENCE_AGES = (13, 16, 18)


@dataclass
class TeamPolicy:
    blocked_phrases: list[str] = field(default_factory=list)
    flagged_phrases: list[str] = field(default_factory=list)
    protected_terms: list[dict[str, str]] = field(default_factory=list)
    strictness: dict[str, str] = field(default_factory=dict)
    ai_enabled: bool = True
    ai_available: bool = False
    min_audience_age: int = 18

    def as_dict(self) -> dict[str, Any]:
        return {
            "blocked_phrases": self.blocked_phrases,
            "flagged_phrases": self.flagged_phrases,
            "protected_terms": self.protected_terms,
            "strictness": {check: self.strictness.get(check, "default") for check in TUNABLE_CHECKS},
            "ai_enabled": self.ai_enabled,
            "ai_available": self.ai_available,
            "min_audience_age": self.min_audience_age,
        }


def team_policy_get(*, team: Any) -> TeamPolicy:
    from django.conf import settings

    policy = ModerationPolicy.objects.filter(team=team, brand_id__isnull=True).first()
    words = (
        list(policy.rules.filter(kind=PolicyRule.Kind.WORD, is_active=True).order_by("created_at"))
        if policy is not None
        else []
    )
    terms = ProtectedTerm.objects.filter(team=team).order_by("term")
    return TeamPolicy(
        blocked_phrases=[r.value for r in words if r.action == Action.BLOCK],
        flagged_phrases=[r.value for r in words if r.action == Action.FLAG],
        protected_terms=[{"term": t.term, "owner": t.owner} for t in terms],
        strictness=valid_strictness(policy.strictness) if policy else {},
        ai_enabled=policy.ai_enabled if policy else True,
        ai_available=ai_configured(),
        min_audience_age=policy.min_audience_age if policy else settings.MODERATION_DEFAULT_MIN_AUDIENCE_AGE,
    )


def _phrases(values: Any, field_name: str, errors: dict[str, list[str]]) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors[field_name] = ["A list of phrases."]
        return []
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > MAX_PHRASES:
        errors[field_name] = [f"At most {MAX_PHRASES} phrases."]
    elif any(len(v) > MAX_PHRASE_LENGTH for v in cleaned):
        errors[field_name] = [f"Keep each phrase under {MAX_PHRASE_LENGTH} characters."]
    return cleaned


def _validate(data: dict[str, Any], team_name: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    blocked = _phrases(data.get("blocked_phrases", []), "blockedPhrases", errors)
    flagged = _phrases(data.get("flagged_phrases", []), "flaggedPhrases", errors)
    both = set(map(str.casefold, blocked)) & set(map(str.casefold, flagged))
    if both:
        errors["flaggedPhrases"] = [f"Already blocked: {', '.join(sorted(both))}."]
    terms: list[dict[str, str]] = []
    raw_terms = data.get("protected_terms", [])
    if not isinstance(raw_terms, list):
        errors["protectedTerms"] = ["A list of {term, owner}."]
    else:
        for item in raw_terms:
            term = str(item.get("term", "")).strip() if isinstance(item, dict) else ""
            owner = str(item.get("owner", "")).strip() if isinstance(item, dict) else ""
            if not term or len(term) > 120 or len(owner) > 200:
                errors["protectedTerms"] = ["Each term needs a name under 120 characters (owner under 200)."]
                break
            terms.append({"term": term, "owner": owner or team_name})
    strictness = data.get("strictness", {})
    if not isinstance(strictness, dict):
        errors["strictness"] = ["An object of check: level."]
        strictness = {}
    for check, level in strictness.items():
        allowed = TUNABLE_CHECKS.get(check)
        if allowed is None:
            errors.setdefault("strictness", []).append(f"Unknown check {check!r}; one of {', '.join(TUNABLE_CHECKS)}.")
        elif level not in allowed:
            errors.setdefault("strictness", []).append(f"{check}: one of {', '.join(allowed)}.")
    age = data.get("min_audience_age", 18)
    if age not in AUDIENCE_AGES:
        errors["minAudienceAge"] = ["One of 13, 16, 18."]
    ai_enabled = data.get("ai_enabled", True)
    if not isinstance(ai_enabled, bool):
        errors["aiEnabled"] = ["true or false."]
    values = {
        "blocked": blocked,
        "flagged": flagged,
        "terms": list({t["term"].casefold(): t for t in terms}.values()),
        "strictness": {c: v for c, v in strictness.items() if v != "default"},
        "min_audience_age": age,
        "ai_enabled": ai_enabled,
    }
    return values, errors


def team_policy_update(*, ctx: TeamContext, data: dict[str, Any]) -> TeamPolicy:
    """Replace the team's policy with `data` (the TeamPolicy fields, snake_case). All or nothing:
    any invalid field is refused with every error and nothing changes."""
    require(ctx, Capability.MANAGE_MODERATION)
    current = team_policy_get(team=ctx.team)
    merged = {**current.as_dict(), **data}
    if isinstance(data.get("strictness"), dict):  # the checks not named keep their level
        merged["strictness"] = {**current.as_dict()["strictness"], **data["strictness"]}
    values, errors = _validate(merged, ctx.team.name)
    if errors:
        raise ValidationFailed("The moderation policy is not valid.", details=errors)
    with transaction.atomic():
        policy, _created = ModerationPolicy.objects.select_for_update().get_or_create(team=ctx.team, brand_id=None)
        policy.strictness = values["strictness"]
        policy.min_audience_age = values["min_audience_age"]
        if ai_configured():
            policy.ai_enabled = values["ai_enabled"]  # without a key there is nothing to switch
        policy.save()
        policy.rules.filter(kind=PolicyRule.Kind.WORD).delete()
        PolicyRule.objects.bulk_create(
            [
                PolicyRule(policy=policy, kind=PolicyRule.Kind.WORD, value=v, action=Action.BLOCK)
                for v in values["blocked"]
            ]
            + [
                PolicyRule(policy=policy, kind=PolicyRule.Kind.WORD, value=v, action=Action.FLAG)
                for v in values["flagged"]
            ]
        )
        ProtectedTerm.objects.filter(team=ctx.team).delete()
        ProtectedTerm.objects.bulk_create([ProtectedTerm(team=ctx.team, **term) for term in values["terms"]])
        audit_record(
            kind=ModerationAuditEvent.Kind.POLICY_CHANGED,
            team=ctx.team,
            actor=ctx.user,
            subject_type="policy",
            subject_id=str(policy.pk),
            note=(
                f"{len(values['blocked'])} blocked, {len(values['flagged'])} flagged phrases, "
                f"{len(values['terms'])} protected terms; strictness {values['strictness'] or 'default'}."
            ),
        )
    # bulk writes send no signals: the decision memo must still learn the rules changed
    from moderation import memo

    memo.rules_changed()
    return team_policy_get(team=ctx.team)
