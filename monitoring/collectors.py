"""Gauges read at scrape time (queue depth, due schedules, heartbeat ages): no process keeps them."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from monitoring import selectors


class PlatformStateCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        queues = GaugeMetricFamily(
            "contentgenai_celery_queue_length", "Messages waiting in a Celery queue on the broker.", labels=["queue"]
        )
        for queue, length in selectors.queue_lengths().items():
            if length is not None:
                queues.add_metric([queue], length)
        yield queues
        yield GaugeMetricFamily(
            "contentgenai_scheduled_posts_due",
            "Scheduled posts whose time has come and that no dispatcher has claimed yet.",
            value=selectors.scheduled_posts_due(now=now),
        )
        ages = GaugeMetricFamily(
            "contentgenai_heartbeat_age_seconds", "Seconds since a background process last checked in.", labels=["name"]
        )
        for beat in selectors.heartbeat_ages(now=now):
            ages.add_metric([beat.name], beat.age_seconds)
        yield ages
