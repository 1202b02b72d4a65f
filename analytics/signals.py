from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from analytics.metrics import engagement_rate
from analytics.models import ContentAnalytics


@receiver(pre_save, sender=ContentAnalytics)
def fill_engagement_rate(sender: type[ContentAnalytics], instance: ContentAnalytics, **kwargs: Any) -> None:
    """Whoever saves a snapshot, its stored rate follows the one documented formula."""
    instance.engagement_rate = engagement_rate(
        likes=instance.likes,
        comments=instance.comments,
        shares=instance.shares,
        clicks=instance.clicks,
        impressions=instance.impressions,
        views=instance.views,
    )


@receiver(post_save, sender=ContentAnalytics)
def fold_new_snapshot(sender: type[ContentAnalytics], instance: ContentAnalytics, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from analytics.tasks import fold_metric_snapshots

    transaction.on_commit(lambda: fold_metric_snapshots.delay())
