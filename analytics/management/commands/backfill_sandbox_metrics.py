"""Record the simulated metric history of sandbox posts that have none yet (the demo's seeded posts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from analytics.snapshots import metrics_backfill_simulated
from social.models import PublishResult, PublishStatus


class Command(BaseCommand):
    help = "Record daily simulated snapshots for delivered sandbox posts that have no metrics yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--team", help="Only this team's posts (its id).")
        parser.add_argument("--days", type=int, default=30, help="At most this many daily snapshots per post.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = PublishResult.objects.filter(platform="sandbox", status=PublishStatus.SUCCESS)
        if options.get("team"):
            results = results.filter(post__team_id=options["team"])
        now = timezone.now()
        recorded = sum(metrics_backfill_simulated(result=result, until=now, days=options["days"]) for result in results)
        self.stdout.write(f"Recorded {recorded} simulated snapshots.")
