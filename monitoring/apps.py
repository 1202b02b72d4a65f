from datetime import UTC, datetime

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Platform health for operators: /metrics, the staff status page and failure-rate alerts.

    Sits above every other app (it reads their tables) and owns no models: alert cooldowns live in
    the cache, everything else is computed from existing rows.
    """

    name = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from monitoring import worker_metrics  # noqa: F401 - connects the worker_ready handler


# When this process started: the status page's uptime (each web process reports its own).
process_started_at = datetime.now(UTC)
