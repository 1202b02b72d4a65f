from __future__ import annotations

from django.contrib import admin

from scheduling.models import QueueSlot, RecurringSchedule, ScheduledPost


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
