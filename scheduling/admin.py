from __future__ import annotations

from django.contrib import admin

from scheduling.models import DataExport, QueueSlot, RecurringSchedule, ScheduledPost


@admin.register(ScheduledPost)
class ScheduledPostAdmin(admin.ModelAdmin):
    list_display = ("post", "platform", "social_account", "scheduled_at", "timezone", "status", "attempts")
    list_filter = ("status", "platform", "in_queue")
    list_select_related = ("post", "social_account")
    search_fields = ("post__title", "social_account__account_name")
    date_hierarchy = "scheduled_at"
    autocomplete_fields = ("post", "social_account", "recurrence", "publish_result")
    readonly_fields = ("attempts", "claimed_at", "completed_at", "reminder_sent_at", "created_at", "updated_at")


@admin.register(RecurringSchedule)
class RecurringScheduleAdmin(admin.ModelAdmin):
    list_display = ("post", "social_account", "rrule", "start_date", "start_time", "timezone", "is_active")
    list_filter = ("is_active", "timezone")
    list_select_related = ("post", "social_account")
    search_fields = ("post__title", "rrule", "social_account__account_name")
    autocomplete_fields = ("post", "social_account", "team")
    readonly_fields = ("materialized_until", "created_at", "updated_at")


@admin.register(QueueSlot)
class QueueSlotAdmin(admin.ModelAdmin):
    list_display = ("social_account", "weekday", "time")
    list_filter = ("weekday",)
    list_select_related = ("social_account",)
    search_fields = ("social_account__account_name",)
    autocomplete_fields = ("social_account",)


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ("team", "format", "status", "anonymize", "requested_by", "created_at")
    list_filter = ("status", "format", "anonymize")
    list_select_related = ("team", "requested_by")
    search_fields = ("team__name",)
    readonly_fields = [f.name for f in DataExport._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # requested from the Export & import page or POST /api/exports/
