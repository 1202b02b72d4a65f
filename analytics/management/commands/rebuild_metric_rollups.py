from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from analytics.rollups import rollups_rebuild
from analytics.services import metrics_landed


class Command(BaseCommand):
    help = "Recompute the daily metric rollups from the ContentAnalytics snapshots (all teams, or one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--team", help="Rebuild only this team's rollups (team id).")

    def handle(self, *args: Any, team: str | None = None, **options: Any) -> None:
        count = rollups_rebuild(team_id=team)
        if team:
            metrics_landed(team_ids={team})
        else:
            from analytics.models import DailyMetricRollup

            metrics_landed(team_ids=set(DailyMetricRollup.objects.values_list("team_id", flat=True).distinct()))
        self.stdout.write(self.style.SUCCESS(f"{count} daily rollup rows."))
