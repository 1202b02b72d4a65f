from datetime import UTC, datetime

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Platform health for operators: /metrics, the staff status page and failure-rate alerts.

    Sits above every other app (it reads their tables) and owns no models: alert cooldowns live in
    the cache, everything else is computed from existing rows.
    """

    name = "monitoring"
    verbose_name = "Monitoring"


# When this process started: the status page's uptime (each web process reports its own).
process_started_at = datetime.now(UTC)
