from django.contrib import admin

from integrations.models import Feed, FeedItem, WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "team", "is_active", "failing_since", "created_at")
    list_filter = ("is_active", "created_at")
    list_select_related = ("team",)
    search_fields = ("url", "description", "team__name")
    exclude = ("secret",)  # never shown, not even to staff
    raw_id_fields = ("team", "created_by")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("number", "manual", "response_status", "error", "duration_ms", "succeeded", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "endpoint", "status", "next_attempt_at", "created_at")
    list_filter = ("status", "event_type", "created_at")
    list_select_related = ("endpoint",)
    search_fields = ("event_id", "event_type", "endpoint__url")
    raw_id_fields = ("endpoint",)
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ("delivery", "number", "response_status", "succeeded", "duration_ms", "created_at")
    list_filter = ("succeeded", "manual", "created_at")
    list_select_related = ("delivery",)
    search_fields = ("delivery__event_id", "delivery__endpoint__url", "error")
    raw_id_fields = ("delivery",)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "team", "is_active", "last_fetched_at", "last_status")
    list_filter = ("is_active", "rewrite_with_ai")
    list_select_related = ("team",)
    search_fields = ("url", "title", "team__name")
    raw_id_fields = ("team", "created_by", "brand", "queue_account")


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    list_display = ("title", "feed", "team", "post", "note", "created_at")
    list_filter = ("created_at",)
    list_select_related = ("feed", "team", "post")
    search_fields = ("title", "link", "guid", "feed__url")
    raw_id_fields = ("team", "feed", "post")
