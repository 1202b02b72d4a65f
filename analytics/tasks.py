from __future__ import annotations

from typing import Any

from celery import shared_task

from core.retry import RETRY_ON_ERROR


@shared_task(
    name="analytics.tasks.fetch_post_metrics", bind=True, acks_late=True
)  # no retry: fetch_due_metrics requeues it
def fetch_post_metrics(self: Any, result_id: str) -> bool:
    from analytics.snapshots import metrics_fetch_for_result

    return metrics_fetch_for_result(result_id=result_id) is not None


@shared_task(name="analytics.tasks.fetch_due_metrics", bind=True, acks_late=True)  # no retry: beat runs it again
def fetch_due_metrics(self: Any) -> int:
    """Beat: queue a metric snapshot for every published post due one."""
    from social.services.metrics import results_due_for_metrics

    due = results_due_for_metrics()
    for result_id in due:
        fetch_post_metrics.delay(result_id)
    return len(due)


@shared_task(name="analytics.tasks.fold_metric_snapshots", bind=True)  # no retry: beat runs it every minute
def fold_metric_snapshots(self: Any) -> int:
    """Fold snapshots that arrived since the last run into the daily rollups (beat: every minute)."""
    from analytics.services import metrics_fold

    return len(metrics_fold())


@shared_task(name="analytics.tasks.rebuild_metric_rollups", bind=True, **RETRY_ON_ERROR)  # a rebuild repeats safely
def rebuild_metric_rollups(self: Any, team_id: str | None = None) -> int:
    from analytics.rollups import rollups_rebuild
    from analytics.services import metrics_landed

    count = rollups_rebuild(team_id=team_id)
    if team_id:
        metrics_landed(team_ids={team_id})
    return count


@shared_task(name="analytics.tasks.build_analytics_export", bind=True, **RETRY_ON_ERROR)
def build_analytics_export(self: Any, export_id: str) -> str | None:
    from analytics.services import analytics_export_build

    export = analytics_export_build(export_id=export_id)
    return export.status if export else None


@shared_task(name="analytics.tasks.train_engagement_model", bind=True, **RETRY_ON_ERROR)
def train_engagement_model(self: Any, team_id: str) -> str | None:
    from django.apps import apps

    from analytics.predictions import engagement_model_train

    team = apps.get_model("teams", "Team").objects.filter(pk=team_id).first()
    if team is None:
        return None
    model = engagement_model_train(team=team)
    return str(model.pk) if model else None


# No retry: it only queues one training task per team; a retry would queue them twice.
@shared_task(name="analytics.tasks.train_engagement_models", bind=True)
def train_engagement_models(self: Any) -> int:
    """Nightly: queue a training run for every team with enough published posts carrying metrics."""
    from django.conf import settings
    from django.db.models import Count

    from analytics.models import DailyMetricRollup

    team_ids = (
        DailyMetricRollup.objects.filter(post__published_at__isnull=False)
        .values("team_id")
        .annotate(posts=Count("post_id", distinct=True))
        .filter(posts__gte=settings.ANALYTICS_MODEL_MIN_POSTS)
        .values_list("team_id", flat=True)
    )
    count = 0
    for team_id in team_ids:
        train_engagement_model.delay(str(team_id))
        count += 1
    return count


# No retry: the reports are not marked sent, so a retry would email some people twice.
@shared_task(name="analytics.tasks.send_weekly_reports", bind=True)
def send_weekly_reports(self: Any) -> int:
    from analytics.services import weekly_reports_send

    return weekly_reports_send()
