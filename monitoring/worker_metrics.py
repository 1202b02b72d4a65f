"""A Celery worker's own /metrics: publish and AI counters incremented inside its pool processes.

Started in the worker's main process when WORKER_METRICS_PORT is set. Pool processes are forks, so
their counters reach it only through PROMETHEUS_MULTIPROC_DIR (set both; see docs/operations.md).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.signals import worker_ready
from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

logger = logging.getLogger(__name__)


def worker_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@worker_ready.connect(dispatch_uid="monitoring_worker_metrics")
def serve_worker_metrics(**kwargs: Any) -> None:
    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    # Plain HTTP inside the cluster, like the kubelet's probes; expose the port to Prometheus only.
    start_http_server(port, addr="0.0.0.0", registry=worker_registry())  # noqa: S104
    logger.info("worker metrics served", extra={"port": port})
