from __future__ import annotations

from django.contrib import admin

from analytics.models import (
    ABTest,
    ABVariant,
    AnalyticsExport,
    CompetitorPost,
    ContentAnalytics,
    DailyMetricRollup,
    EngagementModel,
    RollupWatermark,
)


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


@admin.register(DailyMetricRollup)
class DailyMetricRollupAdmin(admin.ModelAdmin):
    search_fields = ("post__title", "team__name")
    list_display = ("post", "platform", "date", "impressions", "likes", "language", "region")
    list_filter = ("platform",)
    list_select_related = ("post",)
    raw_id_fields = ("team", "post")
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(RollupWatermark)
class RollupWatermarkAdmin(admin.ModelAdmin):
    list_filter = ("updated_at",)
    search_fields = ("name",)
    list_display = ("name", "last_snapshot_id", "updated_at")


@admin.register(AnalyticsExport)
class AnalyticsExportAdmin(admin.ModelAdmin):
    search_fields = ("team__name", "requested_by__email")
    list_display = ("team", "format", "time_range", "status", "created_at")
    list_filter = ("format", "status")
    list_select_related = ("team",)
    raw_id_fields = ("team", "requested_by")


@admin.register(EngagementModel)
class EngagementModelAdmin(admin.ModelAdmin):
    list_filter = ("algorithm", "created_at")
    search_fields = ("team__name",)
    list_display = ("team", "algorithm", "n_train", "n_test", "mae", "baseline_mae", "created_at")
    list_select_related = ("team",)
    raw_id_fields = ("team",)
    exclude = ("blob",)


class ABVariantInline(admin.TabularInline):
    model = ABVariant
    raw_id_fields = ("post",)
    extra = 0


@admin.register(ABTest)
class ABTestAdmin(admin.ModelAdmin):
    search_fields = ("name", "hypothesis", "team__name")
    list_display = ("name", "team", "platform", "status", "created_at")
    list_filter = ("status", "platform")
    list_select_related = ("team",)
    raw_id_fields = ("team", "created_by")
    inlines = [ABVariantInline]


@admin.register(ABVariant)
class ABVariantAdmin(admin.ModelAdmin):
    list_filter = ("label", "test__status")
    search_fields = ("test__name", "post__title", "label")
    list_display = ("test", "label", "post")
    list_select_related = ("test", "post")
    raw_id_fields = ("test", "post")


@admin.register(CompetitorPost)
class CompetitorPostAdmin(admin.ModelAdmin):
    search_fields = ("competitor", "text", "url", "team__name")
    list_display = ("competitor", "team", "platform", "impressions", "likes", "created_at")
    list_filter = ("platform",)
    list_select_related = ("team",)
    raw_id_fields = ("team",)
