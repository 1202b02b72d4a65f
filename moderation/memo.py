"""A team's recent moderation decisions, reused while nothing they depend on has changed.

A decision depends on the text, the team's (and brand's) policy, every team's protected terms, the
word lists and settings, and the published texts it could nearly copy. The memo stores each decision
with the version tokens it was made under and is used only while all of them are unchanged:

- one *rules* token, replaced whenever any policy, policy rule or protected term is saved or deleted
  (rare, and other teams' trademarks count for everyone, so one token for all teams is enough);
- for texts long enough for the near-duplicate check, one token per band-pair key (the keys the
  near-copy search uses, `simhash.pair_keys`), replaced when a fingerprint with that key is recorded or
  removed. A newly published text that nearly copies this one shares a key with it, so it always
  replaces one of its tokens; an unrelated publication elsewhere almost never does.

Tokens are replaced at once and again when the transaction commits, so a check that read the old rows
while the change was being committed cannot leave a decision behind that looks current. Missing
tokens (evicted, cache cleared) never validate a memo. The memo saves the checks, not the audit row:
every call still records its decision.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from moderation import simhash
from moderation.types import ModerationResult

RULES_KEY = "moderation:memo:rules"
FORMAT = 2  # bump when ModerationResult or the checks change shape (2: the "local lists only" note, strictness)


def _pair_tokens(value: int) -> list[str]:
    """One token per band-pair key, the keys a near copy is found by (checks.duplicates)."""
    return [f"moderation:memo:pair:{key}" for key in simhash.pair_keys(value)]


def _settings_fingerprint() -> str:
    names = (
        "MODERATION_AI_ENABLED",
        "MODERATION_OPENAI_MODEL",
        "MODERATION_AI_FLAG_THRESHOLD",
        "MODERATION_AI_BLOCK_THRESHOLD",
        "MODERATION_AI_BLOCK_CATEGORIES",
        "MODERATION_DUPLICATE_MAX_DISTANCE",
        "MODERATION_DUPLICATE_MIN_WORDS",
        "MODERATION_DEFAULT_MIN_AUDIENCE_AGE",
        "MODERATION_DATA_DIR",
    )
    values = [repr(getattr(settings, name, None)) for name in names]
    values.append(str(bool(getattr(settings, "MODERATION_OPENAI_API_KEY", ""))))
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]


def enabled() -> bool:
    return settings.MODERATION_MEMO_SECONDS > 0


@dataclass(frozen=True)
class Lookup:
    """What `memo_lookup` found: the decision when still valid, and the tokens to store a new one under."""

    result: ModerationResult | None
    key: str
    tokens: dict[str, Any]
    token_keys: list[str]


def _token_keys(text: str) -> list[str]:
    keys = [RULES_KEY]
    if len(simhash.words(text)) >= settings.MODERATION_DUPLICATE_MIN_WORDS:
        keys += _pair_tokens(simhash.simhash(text))
    return keys


def memo_lookup(
    *,
    team_id: Any,
    text_hash: str,
    text: str,
    platform: str | None,
    brand_id: Any,
    sponsored: bool,
    post_id: str | None,
) -> Lookup:
    """One cache round trip: the memo entry and the current tokens it must match."""
    parts = [str(FORMAT), _settings_fingerprint(), str(team_id), text_hash, platform or "", str(brand_id or "")]
    parts += [str(bool(sponsored)), str(post_id or "")]
    key = "moderation:memo:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    token_keys = _token_keys(text)
    found = cache.get_many([key, *token_keys])
    tokens = {name: found[name] for name in token_keys if name in found}
    entry = found.get(key)
    if entry is not None and len(tokens) == len(token_keys) and entry["tokens"] == tokens:
        return Lookup(result=entry["result"], key=key, tokens=tokens, token_keys=token_keys)
    complete = len(tokens) == len(token_keys)
    return Lookup(result=None, key=key, tokens=tokens if complete else {}, token_keys=token_keys)


def memo_tokens_ensure(lookup: Lookup) -> dict[str, Any]:
    """The tokens to store a decision under, created where missing. Call before running the checks."""
    if lookup.tokens:
        return lookup.tokens
    token_keys = lookup.token_keys
    for name in token_keys:
        cache.add(name, _new_token(), timeout=None)
    found = cache.get_many(token_keys)
    return found if len(found) == len(token_keys) else {}


def memo_store(lookup: Lookup, tokens: dict[str, Any], result: ModerationResult) -> None:
    if tokens:
        cache.set(lookup.key, {"tokens": tokens, "result": result}, timeout=settings.MODERATION_MEMO_SECONDS)


def _new_token() -> int:
    """A random version token. An int, not a string: a hit reads dozens of tokens at once, and the cache
    stores an int as its digits, read back without unpickling."""
    return secrets.randbits(62)


def _replace(keys: list[str]) -> None:
    cache.set_many({key: _new_token() for key in keys}, timeout=None)


def _replace_now_and_on_commit(keys: list[str]) -> None:
    _replace(keys)
    if transaction.get_connection().in_atomic_block:  # outside a transaction the change is already committed
        transaction.on_commit(lambda: _replace(keys))


def rules_changed() -> None:
    """A policy, rule or protected term changed (any team's): every memoised decision is stale."""
    _replace_now_and_on_commit([RULES_KEY])


def lists_reloaded() -> None:
    """The word lists were read again from disk (no transaction involved)."""
    _replace([RULES_KEY])


def fingerprints_changed(signed_simhashes: Iterable[int]) -> None:
    """Published texts were recorded or removed: decisions on texts sharing a band-pair key with them are stale."""
    keys = {key for value in signed_simhashes for key in _pair_tokens(value)}
    if keys:
        _replace_now_and_on_commit(sorted(keys))
