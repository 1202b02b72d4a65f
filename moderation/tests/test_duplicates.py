"""Near-duplicate detection: SimHash over word shingles, banded lookups, team and global index."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation import simhash
from moderation.checks.duplicates import (
    fingerprint_keys_replace,
    fingerprints_record_many,
    max_distance,
    near_duplicates,
)
from moderation.integration import record_published
from moderation.models import ContentFingerprint
from moderation.services import text_moderate
from teams.tests.factories import TeamFactory

ORIGINAL = (
    "We are thrilled to announce our new product line launching next week. After months of hard work "
    "our team built something we are truly proud of. Join us for the live demo on Thursday and see how "
    "it can save your team hours every single week. Sign up today and get early access."
)
LIGHT_EDIT = ORIGINAL.replace("thrilled", "excited").replace("Sign up today", "Sign up now")
UNRELATED = (
    "Five tips for better sleep this winter: keep a regular schedule, avoid screens before bed, cut "
    "caffeine after noon and keep the bedroom cool. Your body will thank you in the morning."
)


def test_a_lightly_edited_copy_is_close_and_unrelated_text_is_far():
    assert simhash.hamming(simhash.simhash(ORIGINAL), simhash.simhash(LIGHT_EDIT)) <= 6
    assert simhash.hamming(simhash.simhash(ORIGINAL), simhash.simhash(UNRELATED)) > 12


def _simhash_bit_by_bit(text: str) -> int:
    """The textbook definition: for each bit, +1 for every feature hash that has it set, -1 otherwise."""
    import hashlib

    weights = [0] * 64
    for feature in simhash.features(text):
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit, weight in enumerate(weights) if weight > 0)


def test_a_stored_fingerprint_keeps_its_value():
    # Fingerprints are stored; a change of the computation would make every stored one incomparable.
    assert simhash.simhash(ORIGINAL) == 0x678018642996C774


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ship", "café", "مرحبا", "日本", "x", "launch", "Ünïcode", "#tag"]), max_size=60))
def test_simhash_is_the_bit_by_bit_majority_of_its_features(words):
    text = " ".join(words)
    assert simhash.simhash(text) == _simhash_bit_by_bit(text)


def test_signed_storage_round_trips():
    value = simhash.simhash(ORIGINAL)
    assert simhash.to_unsigned(simhash.to_signed(value)) == value
    assert -(2**63) <= simhash.to_signed(value) < 2**63


@pytest.mark.django_db
def test_a_copy_of_another_teams_published_post_is_flagged(team):
    other = TeamFactory()
    record_published(team=other, post_id="p-1", text=ORIGINAL)

    result = text_moderate(team=team, text=LIGHT_EDIT)

    assert result.decision == "flag"
    [reason] = [r for r in result.reasons if r.check == "duplicate"]
    assert reason.code == "duplicate_external"
    assert "possible copying" in reason.message
    assert ORIGINAL[:30] not in reason.message  # another team's text is never shown
    assert result.scores["duplicate_similarity"] >= 0.9


@pytest.mark.django_db
def test_a_repeat_of_the_teams_own_post_is_flagged(team):
    record_published(team=team, post_id="p-1", text=ORIGINAL)

    result = text_moderate(team=team, text=LIGHT_EDIT)

    assert [r.code for r in result.reasons if r.severity != "info"] == ["duplicate_own"]


@pytest.mark.django_db
def test_unrelated_text_and_the_same_post_are_not_flagged(team):
    record_published(team=team, post_id="p-1", text=ORIGINAL)

    assert text_moderate(team=team, text=UNRELATED).decision == "allow"
    # publishing the same post to a second network is not copying
    assert text_moderate(team=team, text=ORIGINAL, post_id="p-1").decision == "allow"


@pytest.mark.django_db
def test_short_texts_are_not_indexed_or_compared(team):
    assert fingerprints_record_many([(team, "p-2", "Happy Friday everyone!")]) == []
    assert near_duplicates("Happy Friday everyone!") == []


@pytest.mark.django_db
def test_banded_lookup_finds_every_fingerprint_within_the_distance(team):
    # given fingerprints at every distance 0..10 from one value
    base = simhash.simhash(ORIGINAL)
    stored = []
    for distance in range(11):
        flipped = base
        for bit in range(distance):
            flipped ^= 1 << (bit * 7 % 64)
        stored.append(
            ContentFingerprint.objects.create(
                team=team,
                post_id=f"d{distance}",
                simhash=simhash.to_signed(flipped),
                **{f"band{i}": b for i, b in enumerate(simhash.bands(flipped))},
            )
        )
    fingerprint_keys_replace(stored)

    found = {d.fingerprint.post_id for d in near_duplicates(ORIGINAL, limit=50)}

    assert found == {f"d{d}" for d in range(7)}


words = st.lists(st.sampled_from("alpha beta gamma delta post launch team coffee sale week".split()), max_size=40)


# Property 49: Intellectual Property and Policy Compliance
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_similarity_is_symmetric_and_a_text_is_identical_to_itself(a, b):
    assert simhash.text_similarity(a, b) == simhash.text_similarity(b, a)
    assert simhash.text_similarity(a, a) == 1.0
    assert 0.0 <= simhash.text_similarity(a, b) <= 1.0


# Property 49: Intellectual Property and Policy Compliance
@settings(max_examples=60, deadline=None)
@given(words, words)
def test_hamming_distance_is_a_metric_on_word_texts(a, b):
    x, y = simhash.simhash(" ".join(a)), simhash.simhash(" ".join(b))
    assert simhash.hamming(x, y) == simhash.hamming(y, x)
    assert (simhash.hamming(x, y) == 0) == (x == y)


bits64 = st.integers(min_value=0, max_value=(1 << 64) - 1)


# Property 49: Intellectual Property and Policy Compliance (no near copy is missed by the indexed search)
@settings(max_examples=300, deadline=None)
@given(bits64, st.lists(st.integers(min_value=0, max_value=63), max_size=12))
def test_two_fingerprints_share_a_key_exactly_when_two_bands_agree(value, flips):
    other = value
    for bit in flips:
        other ^= 1 << bit
    agreeing = sum(a == b for a, b in zip(simhash.bands(value), simhash.bands(other), strict=True))

    shared = set(simhash.pair_keys(value)) & set(simhash.pair_keys(other))

    assert bool(shared) == (agreeing >= 2)
    if simhash.hamming(value, other) <= max_distance():
        assert shared  # every near copy is a candidate


@pytest.mark.django_db
def test_a_republished_post_is_found_by_its_new_text_only(team):
    other = "Our winter menu brings soup, fresh bread and hot chocolate to every table this week"
    fingerprints_record_many([(team, "p-9", ORIGINAL)])
    assert [d.fingerprint.post_id for d in near_duplicates(ORIGINAL)] == ["p-9"]

    fingerprints_record_many([(team, "p-9", other)])  # the post was edited and published again

    assert near_duplicates(ORIGINAL) == []
    assert [d.fingerprint.post_id for d in near_duplicates(other)] == ["p-9"]
    assert ContentFingerprint.objects.get().keys.count() == len(simhash.PAIRS)
