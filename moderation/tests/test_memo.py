"""The decision memo: a repeated check costs one audit row, and every change it depends on is seen."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.checks.duplicates import near_duplicates, near_duplicates_many
from moderation.integration import record_published
from moderation.models import ModerationAuditEvent, ProtectedTerm
from moderation.services import TextCheck, ensure_publishable_many, text_moderate, texts_moderate
from moderation.tests.factories import ModerationPolicyFactory, PolicyRuleFactory
from moderation.tests.test_duplicates import LIGHT_EDIT, ORIGINAL, UNRELATED
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _decide(team, text, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        result = text_moderate(team=team, text=text, **kwargs)
    return result, len(queries)


def test_a_repeated_check_reuses_the_decision_and_still_records_it(team):
    first, first_queries = _decide(team, ORIGINAL)
    again, again_queries = _decide(team, ORIGINAL)

    assert again.decision == first.decision == "allow"
    assert again.reasons == first.reasons and again.text_hash == first.text_hash
    assert first_queries >= 4  # policy, rules, protected terms, near-duplicate search, audit row
    assert again_queries == 1  # the audit row
    assert ModerationAuditEvent.objects.filter(team_id=team.pk, text_hash=first.text_hash).count() == 2


def test_options_are_part_of_the_decision(team):
    assert text_moderate(team=team, text="New shoes, 20% off with my link").decision == "allow"
    sponsored = text_moderate(team=team, text="New shoes, 20% off with my link", sponsored=True)
    assert sponsored.decision == "flag"


def test_one_teams_decision_is_not_anothers(team):
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), value="coffee")
    assert text_moderate(team=team, text="Coffee time").decision == "block"

    assert text_moderate(team=TeamFactory(), text="Coffee time").decision == "allow"


def test_a_new_policy_rule_is_seen_at_once(team):
    assert text_moderate(team=team, text="Coffee time").decision == "allow"
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), value="coffee")

    assert text_moderate(team=team, text="Coffee time").decision == "block"


def test_another_teams_new_trademark_is_seen_at_once(team):
    assert text_moderate(team=team, text="Zentrix ships faster").decision == "allow"
    term = ProtectedTerm.objects.create(team=TeamFactory(), term="Zentrix", owner="Zentrix Ltd")

    assert text_moderate(team=team, text="Zentrix ships faster").decision == "flag"
    term.delete()
    assert text_moderate(team=team, text="Zentrix ships faster").decision == "allow"


@pytest.fixture(params=["locmem", "redis"])
def memo_cache(request, settings):
    """The memo on the tests' local cache, and on production's Redis backend over a real Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {"default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": url}}
        from django.core.cache import cache

        cache.clear()
        yield
        cache.clear()
    else:
        yield


@pytest.mark.redis
@pytest.mark.usefixtures("memo_cache")
def test_a_near_copy_published_after_the_check_is_seen(team):
    assert text_moderate(team=team, text=LIGHT_EDIT).decision == "allow"
    record_published(team=TeamFactory(), post_id="p-1", text=ORIGINAL)

    result = text_moderate(team=team, text=LIGHT_EDIT)

    assert result.decision == "flag"
    assert [r.code for r in result.reasons if r.check == "duplicate"] == ["duplicate_external"]


@pytest.mark.redis
@pytest.mark.usefixtures("memo_cache")
def test_an_unrelated_publication_keeps_the_decision(team):
    text_moderate(team=team, text=LIGHT_EDIT)
    record_published(team=TeamFactory(), post_id="p-2", text=UNRELATED)

    result, queries = _decide(team, LIGHT_EDIT)

    assert result.decision == "allow"
    assert queries == 1


def test_the_memo_can_be_turned_off(team, settings):
    settings.MODERATION_MEMO_SECONDS = 0
    text_moderate(team=team, text=ORIGINAL)

    _, queries = _decide(team, ORIGINAL)

    assert queries >= 4


def test_a_batch_decides_in_a_fixed_number_of_queries(team):
    def run(n):
        items = [TextCheck(text=f"{UNRELATED} Variant {i}.", platform="x", post_id=f"p{i}") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            results = texts_moderate(team=team, items=items)
        assert len(results) == n
        return len(queries)

    assert run(3) == run(12)


def test_a_batch_gives_each_text_its_review_outcome(team):
    PolicyRuleFactory(policy=ModerationPolicyFactory(team=team), value="forbidden")
    items = [TextCheck(text="A fine post"), TextCheck(text="A forbidden post"), TextCheck(text="Damn good coffee")]

    allowed, blocked, flagged = ensure_publishable_many(team=team, items=items)

    assert allowed.decision == "allow"  # type: ignore[union-attr]
    assert blocked.details["code"] == "CONTENT_BLOCKED"  # type: ignore[union-attr]
    assert flagged.details["code"] == "NEEDS_REVIEW"  # type: ignore[union-attr]


PUBLISHED = [ORIGINAL, UNRELATED, "Short one"]
CANDIDATES = [ORIGINAL, LIGHT_EDIT, UNRELATED, UNRELATED.upper(), "Short one", "Coffee time", "Damn it"]


# Property 48 (every text gets the pipeline's decision): a batch decides exactly as one-by-one checks do.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.sampled_from(CANDIDATES), min_size=1, max_size=6), excluded=st.booleans())
def test_property_48_a_batch_decides_like_single_checks(team, texts, excluded):
    if not ProtectedTerm.objects.filter(team=team).exists():
        for i, text in enumerate(PUBLISHED):
            record_published(team=TeamFactory(), post_id=f"pub-{i}", text=text)
        ProtectedTerm.objects.create(team=team, term="Thursday", owner="Us")
    items = [TextCheck(text=t, post_id="pub-0" if excluded else None) for t in texts]

    batch = texts_moderate(team=team, items=items)
    single = [text_moderate(team=team, text=i.text, post_id=i.post_id) for i in items]

    assert [(r.decision, r.reasons, r.scores) for r in batch] == [(r.decision, r.reasons, r.scores) for r in single]
    pairs = [(i.text, i.post_id) for i in items]
    assert [[(d.fingerprint.pk, d.distance) for d in found] for found in near_duplicates_many(pairs)] == [
        [(d.fingerprint.pk, d.distance) for d in near_duplicates(text, exclude_post_id=post_id)]
        for text, post_id in pairs
    ]
