from __future__ import annotations

from django.contrib import admin

from core.models import Heartbeat

admin.site.site_header = "ContentGenAI admin"
admin.site.site_title = "ContentGenAI admin"
admin.site.index_title = "Administration"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "beat_at")
    ordering = ("name",)
    search_fields = ("name",)
    readonly_fields = ("beat_at",)
