from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from monitoring.models import AlertEvent, HealthSample


class _ReadOnly(admin.ModelAdmin):
    """Written by the alert evaluator only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AlertEvent)
class AlertEventAdmin(_ReadOnly):
    list_display = ("subject", "key", "fired_at", "resolved_at", "notifications")
    list_filter = ("resolved_at", "fired_at")
    search_fields = ("key", "subject")


@admin.register(HealthSample)
class HealthSampleAdmin(_ReadOnly):
    list_display = ("at", "ok", "failed")
    list_filter = ("ok", "at")
    search_fields = ("failed",)
