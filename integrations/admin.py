from django.contrib import admin

from integrations.models import Feed, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "team", "is_active", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret",)  # never shown, not even to staff
    raw_id_fields = ("team", "created_by")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("url", "team", "is_active", "last_fetched_at", "last_status")
    list_filter = ("is_active",)
    raw_id_fields = ("team", "created_by", "brand", "queue_account")
