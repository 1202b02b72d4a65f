from __future__ import annotations

from django.contrib import admin

from scheduling.models import ScheduledPost


@admin.register(ScheduledPost)
class ScheduledPostAdmin(admin.ModelAdmin):
    list_display = ("post", "platform", "social_account", "scheduled_at", "timezone", "status", "attempts")
    list_filter = ("status", "platform")
    list_select_related = ("post", "social_account")
    search_fields = ("post__title", "social_account__account_name")
    date_hierarchy = "scheduled_at"
    autocomplete_fields = ("post", "social_account")
    readonly_fields = ("attempts", "created_at", "updated_at")
