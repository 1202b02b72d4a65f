"""Team policies (blocked words, patterns, topics), required disclosures and protected terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import regex
from django.conf import settings
from django.utils.translation import gettext_noop

from core.stored_messages import Message
from moderation.checks.lists import _load, global_protected_terms, text_at
from moderation.models import ModerationPolicy, PolicyRule, ProtectedTerm
from moderation.text import TermMatcher, fold
from moderation.types import Reason, Severity

MAX_PATTERN_LENGTH = 500
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)


@dataclass
class EffectivePolicy:
    """A team's policy merged with its brand's: the brand's settings win, rules of both apply."""

    min_audience_age: int
    ai_enabled: bool = True
    disclosure_action: str = "flag"
    disclosure_tags: list[str] = field(default_factory=list)
    allowed_terms: list[str] = field(default_factory=list)
    rules: list[PolicyRule] = field(default_factory=list)
    strictness: dict[str, str] = field(default_factory=dict)


def policies_load(*, team: Any) -> dict[Any, ModerationPolicy]:
    """The team's policies by brand id (None: the team-wide one), rules included: two queries."""
    return {p.brand_id: p for p in ModerationPolicy.objects.filter(team=team).prefetch_related("rules")}


def effective_policy(policies: dict[Any, ModerationPolicy], *, brand_id: Any = None) -> EffectivePolicy:
    team_policy = policies.get(None)
    brand_policy = policies.get(brand_id) if brand_id else None
    chosen = brand_policy or team_policy
    effective = EffectivePolicy(min_audience_age=settings.MODERATION_DEFAULT_MIN_AUDIENCE_AGE)
    if chosen is not None:
        effective.min_audience_age = chosen.min_audience_age
        effective.ai_enabled = chosen.ai_enabled
        effective.disclosure_action = chosen.disclosure_action
        effective.disclosure_tags = list(chosen.disclosure_tags or [])
        effective.strictness = valid_strictness(chosen.strictness)
    for policy in (team_policy, brand_policy):
        if policy is not None:
            effective.allowed_terms += list(policy.allowed_terms or [])
            effective.rules += [rule for rule in policy.rules.all() if rule.is_active]
    return effective


# The checks a team may tune, and how. Platform guidelines and the AI check can be made stricter
# but never switched off or softened: they protect people outside the team.
STRICTNESS_LEVELS = ("default", "flag", "block", "off")
TUNABLE_CHECKS: dict[str, tuple[str, ...]] = {
    "profanity": STRICTNESS_LEVELS,
    "age": STRICTNESS_LEVELS,
    "disclosure": STRICTNESS_LEVELS,
    "trademark": STRICTNESS_LEVELS,
    "duplicate": STRICTNESS_LEVELS,
    "guidelines": ("default", "block"),
    "ai": ("default", "block"),
}


def valid_strictness(stored: Any) -> dict[str, str]:
    """The stored per-check levels that are still allowed (a row edited by hand never breaks checks)."""
    if not isinstance(stored, dict):
        return {}
    return {
        check: level
        for check, level in stored.items()
        if check in TUNABLE_CHECKS and level in TUNABLE_CHECKS[check] and level != "default"
    }


def apply_strictness(reasons: list[Reason], strictness: dict[str, str]) -> list[Reason]:
    """Each hit of a tuned check takes the team's level; notes ("info") are kept as they are."""
    if not strictness:
        return reasons
    tuned = []
    for reason in reasons:
        level = strictness.get(reason.check)
        if level is None or reason.severity == "info":
            tuned.append(reason)
        elif level != "off":
            tuned.append(replace(reason, severity=level))  # type: ignore[arg-type]
    return tuned


def pattern_error(pattern: str) -> str | None:
    """Why a team's regular expression is refused, or None when it compiles."""
    if not pattern.strip():
        return "Give a pattern."
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"Keep patterns under {MAX_PATTERN_LENGTH} characters."
    try:
        regex.compile(pattern)
    except regex.error as exc:
        return f"Not a valid regular expression: {exc}."
    return None


def check_rules(text: str, rules: list[PolicyRule]) -> list[Reason]:
    reasons: list[Reason] = []
    word_rules = [rule for rule in rules if rule.kind != PolicyRule.Kind.PATTERN]
    matcher = TermMatcher((keyword, rule) for rule in word_rules for keyword in rule.keywords())
    for hit in matcher.find(text):
        rule: PolicyRule = hit.data  # type: ignore[assignment]
        found = text_at(text, hit.start, hit.end)
        if rule.kind == PolicyRule.Kind.TOPIC:
            message: str | Message = Message(
                gettext_noop('Blocked topic "%(topic)s": "%(text)s".'),
                topic=rule.label or rule.keywords()[0],
                text=found,
            )
        else:
            message = rule.label or Message(
                gettext_noop('"%(text)s" is not allowed by your team\'s policy.'), text=found
            )
        reasons.append(_rule_reason(rule, message, (hit.start, hit.end)))
    for rule in rules:
        if rule.kind == PolicyRule.Kind.PATTERN:
            reasons += _check_pattern(text, rule)
    return reasons


def _rule_reason(rule: PolicyRule, message: str | Message, span: tuple[int, int] | None) -> Reason:
    severity: Severity = "block" if rule.action == "block" else "flag"
    return Reason(check="policy", code=f"policy_{rule.kind}", message=message, severity=severity, span=span)


def _check_pattern(text: str, rule: PolicyRule) -> list[Reason]:
    if pattern_error(rule.value):
        return []  # refused when saved; a row edited around validation never breaks moderation
    try:
        # The timeout bounds catastrophic backtracking in a pattern a team wrote.
        match = regex.search(rule.value, text, flags=regex.IGNORECASE, timeout=settings.MODERATION_REGEX_TIMEOUT)
    except TimeoutError:
        return [
            Reason(
                check="policy",
                code="policy_pattern_timeout",
                message=Message(
                    gettext_noop("A team pattern took too long to check (%(rule)s); a person must look."),
                    rule=rule.label or rule.value[:40],
                ),
                severity="flag",
            )
        ]
    if match is None:
        return []
    message = rule.label or f'"{match.group()}" matches a pattern your team does not allow.'
    return [_rule_reason(rule, message, match.span())]


@cache
def _disclosure_data() -> dict[str, Any]:
    return _load("disclosures.json")


def affiliate_links(text: str) -> list[str]:
    data = _disclosure_data()
    found = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(".,;:!?)")
        parts = urlsplit(url if "://" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
        params = {key.lower() for key in parse_qs(parts.query)}
        if any(host == d or host.endswith("." + d) for d in data["affiliate_domains"]) or params & set(
            data["affiliate_params"]
        ):
            found.append(url)
    return found


def has_disclosure(text: str, tags: list[str]) -> bool:
    folded = fold(text)
    words: list[tuple[str, object]] = []
    for tag in tags or _disclosure_data()["tags"]:
        if tag.startswith("#"):
            if re.search(r"(?<![\w#])" + re.escape(fold(tag)) + r"(?!\w)", folded):
                return True
        else:
            words.append((tag, tag))
    return bool(words) and bool(TermMatcher(words).find(text))


def check_disclosure(text: str, *, sponsored: bool, policy: EffectivePolicy) -> list[Reason]:
    links = affiliate_links(text)
    if not (sponsored or links) or has_disclosure(text, policy.disclosure_tags):
        return []
    message = (
        Message(gettext_noop('The post is marked sponsored but does not disclose it: add #ad or "Sponsored".'))
        if sponsored
        else Message(
            gettext_noop(
                'The post contains an affiliate link (%(link)s) but does not disclose it: add #ad or "Sponsored".'
            ),
            link=links[0],
        )
    )
    return [
        Reason(
            check="disclosure",
            code="disclosure_missing",
            message=message,
            severity=policy.disclosure_action,  # type: ignore[arg-type]
        )
    ]


@dataclass(frozen=True)
class ProtectedTerms:
    """Trademarks as one team sees them: its own (never flagged for it) and everyone else's with owners."""

    own: frozenset[str]
    others: tuple[tuple[str, str], ...]
    _matchers: dict[frozenset[str], TermMatcher] = field(default_factory=dict, compare=False, repr=False)

    def matcher(self, allowed: list[str]) -> TermMatcher:
        """Everyone's trademarks but the team's own and those it is licensed to use; built once per
        set of allowed terms, so a batch of texts shares it."""
        skip = self.own | {fold(term) for term in allowed}
        if skip not in self._matchers:
            terms = [*global_protected_terms(), *self.others]
            self._matchers[skip] = TermMatcher([(term, owner) for term, owner in terms if fold(term) not in skip])
        return self._matchers[skip]


def protected_terms_load(*, team: Any) -> ProtectedTerms:
    """Every team's protected terms in one query, split into the team's own and the rest."""
    team_id = getattr(team, "pk", team)
    own: set[str] = set()
    others = []
    for owner_team_id, term, owner in ProtectedTerm.objects.values_list("team_id", "term", "owner"):
        if owner_team_id == team_id:
            own.add(fold(term))
        else:
            others.append((term, owner))
    return ProtectedTerms(own=frozenset(own), others=tuple(others))


def check_protected_terms(text: str, *, terms: ProtectedTerms, policy: EffectivePolicy) -> list[Reason]:
    reasons = []
    seen: set[str] = set()
    for hit in terms.matcher(policy.allowed_terms).find(text):
        if hit.term in seen:
            continue
        seen.add(hit.term)
        reasons.append(
            Reason(
                check="trademark",
                code="protected_term",
                message=Message(
                    gettext_noop(
                        '"%(text)s" is a trademark of %(owner)s: make sure the post '
                        "does not suggest endorsement or a partnership you do not have."
                    ),
                    text=text_at(text, hit.start, hit.end),
                    owner=hit.data,
                ),
                severity="flag",
                span=(hit.start, hit.end),
            )
        )
    return reasons
