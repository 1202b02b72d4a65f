"""Fingerprints stored before band-pair keys existed get their keys, so old publications are still found."""

from __future__ import annotations

import pytest

from core.tests.migrating import migration_executor
from moderation import simhash
from moderation.checks.duplicates import near_duplicates
from moderation.models import FingerprintKey
from teams.tests.factories import TeamFactory

BEFORE_KEYS = [("moderation", "0003_policy_strictness")]
TEXT = "Our spring collection is here with light fabrics bright colours and free returns for thirty days"


@pytest.mark.django_db(transaction=True)
def test_fingerprints_stored_before_the_keys_are_found_after_the_migration():
    latest = migration_executor().loader.graph.leaf_nodes()
    try:
        migration_executor().migrate(BEFORE_KEYS)
        old = migration_executor().loader.project_state(BEFORE_KEYS).apps
        value = simhash.simhash(TEXT)
        row = old.get_model("moderation", "ContentFingerprint").objects.create(
            team_id=TeamFactory().pk,
            post_id="before-keys",
            simhash=simhash.to_signed(value),
            **{f"band{i}": b for i, b in enumerate(simhash.bands(value))},
        )

        migration_executor().migrate(latest)

        keys = sorted(FingerprintKey.objects.filter(fingerprint_id=row.pk).values_list("key", flat=True))
        assert keys == sorted(simhash.pair_keys(value))
        assert [d.fingerprint.post_id for d in near_duplicates(TEXT)] == ["before-keys"]
    finally:
        migration_executor().migrate(latest)
