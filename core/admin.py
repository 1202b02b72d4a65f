from __future__ import annotations

from django.contrib import admin

from core.models import BackupRun, Heartbeat

admin.site.site_header = "ContentGenAI admin"
admin.site.site_title = "ContentGenAI admin"
admin.site.index_title = "Administration"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_filter = ("beat_at",)
    list_display = ("name", "beat_at")
    ordering = ("name",)
    search_fields = ("name",)
    readonly_fields = ("beat_at",)


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "vendor", "table_count", "row_count", "size_bytes", "created_at", "finished_at")
    list_filter = ("status", "vendor")
    search_fields = ("name",)
    readonly_fields = [f.name for f in BackupRun._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # runs are written by the backup task and `manage.py backup_now`
