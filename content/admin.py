from __future__ import annotations

from django.contrib import admin

from content.models import ContentPost


@admin.register(ContentPost)
class ContentPostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "team", "author", "platform", "status", "scheduled_at", "published_at", "created_at")
    list_filter = ("status", "platform")
    list_select_related = ("team", "author")
    search_fields = ("title", "content", "team__name", "author__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "author")
    readonly_fields = ("created_at", "updated_at")
