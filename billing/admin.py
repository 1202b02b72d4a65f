from __future__ import annotations

from django.contrib import admin

from billing.models import Subscription, UsageQuota


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("team", "tier", "status", "current_period_end", "cancel_at_period_end", "stripe_subscription_id")
    list_filter = ("tier", "status", "cancel_at_period_end")
    list_select_related = ("team",)
    search_fields = ("team__name", "stripe_subscription_id")
    date_hierarchy = "current_period_end"
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(UsageQuota)
class UsageQuotaAdmin(admin.ModelAdmin):
    list_display = (
        "team",
        "content_generations",
        "max_content_generations",
        "api_calls",
        "max_api_calls",
        "reset_date",
    )
    list_select_related = ("team",)
    search_fields = ("team__name",)
    date_hierarchy = "reset_date"
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at", "updated_at")
