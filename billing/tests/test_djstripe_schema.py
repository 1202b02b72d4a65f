"""dj-stripe's schema comes from our one-step migration (MIGRATION_MODULES in config/settings/base.py).

It must stand for exactly the history dj-stripe ships: an upgrade that adds a migration has to be
folded in (regenerate with makemigrations and extend `replaces`), or databases would miss it.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import djstripe
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from billing.djstripe_schema.migrations import __path__ as ours_path


def _shipped() -> set[tuple[str, str]]:
    folder = Path(djstripe.__file__).parent / "migrations"
    return {("djstripe", m.name) for m in pkgutil.iter_modules([str(folder)]) if m.name[:4].isdigit()}


def test_our_migration_replaces_every_migration_dj_stripe_ships() -> None:
    names = [m.name for m in pkgutil.iter_modules(ours_path)]
    assert names == ["0001_squashed_0003_2_11"]
    ours = importlib.import_module(f"billing.djstripe_schema.migrations.{names[0]}").Migration
    assert set(ours.replaces) == _shipped()


def test_a_database_with_dj_stripes_own_history_counts_as_migrated(db) -> None:
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("djstripe", "0001_squashed_0003_2_11")
    for app, name in sorted(_shipped()):
        recorder.record_applied(app, name)  # what a database migrated before the squash holds

    loader = MigrationLoader(connection)

    assert ("djstripe", "0001_squashed_0003_2_11") in loader.applied_migrations
    assert not [key for key in loader.graph.leaf_nodes() if key not in loader.applied_migrations]
