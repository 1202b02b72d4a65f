"""For tests that walk the migration graph back and forward over real rows."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migration_executor() -> MigrationExecutor:
    """A fresh executor with the graph read from disk (each migrate() changes what is applied)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor
