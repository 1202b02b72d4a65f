from __future__ import annotations

from django.contrib import admin

from analytics.models import ContentAnalytics


@admin.register(ContentAnalytics)
class ContentAnalyticsAdmin(admin.ModelAdmin):
    list_display = ("post", "platform", "views", "likes", "shares", "comments", "engagement_rate", "recorded_at")
    list_filter = ("platform",)
    list_select_related = ("post",)
    search_fields = ("post__title",)
    date_hierarchy = "recorded_at"
    autocomplete_fields = ("post",)
    # The table grows to millions of rows: skip the unfiltered COUNT(*) on every list page.
    show_full_result_count = False
