"""What monitoring must remember between runs: alerts (their history) and health probe results."""

from __future__ import annotations

from django.db import models


class AlertEvent(models.Model):
    """One alert from the moment its condition held until it cleared (`resolved_at`).

    At most one open row per key: while it is open the alert is not sent again, except as a
    reminder once per ALERT_COOLDOWN_MINUTES.
    """

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=120, db_index=True)
    subject = models.CharField(max_length=300)
    message = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    fired_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-fired_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(resolved_at__isnull=True), name="alert_one_open_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class HealthSample(models.Model):
    """The readiness checks (database, cache, broker) as the alert evaluator ran them: uptime is
    the share of these that passed, and a missing sample counts as down (nothing could check)."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    ok = models.BooleanField()
    failed = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'failed: ' + ', '.join(self.failed)}"
