from datetime import UTC, datetime

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Platform health for operators: /metrics, the staff status page and failure-rate alerts.

    Sits above every other app (it reads their tables). Its own rows are the alert history and the
    health probe results (uptime); request figures and reminder cooldowns live in the cache.
    """

    name = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from monitoring import worker_metrics  # noqa: F401 - connects the worker_ready handler
        from monitoring.request_stats import on_request_exception

        got_request_exception.connect(on_request_exception, dispatch_uid="monitoring-database-errors")


# When this process started (shown beside the uptime measured from health probes).
process_started_at = datetime.now(UTC)
