from __future__ import annotations

from django.contrib import admin
from django.db import models

from social.models import MediaAsset, PostMedia, PublishResult, SandboxPost, SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    """OAuth tokens never reach the admin: not in the form, the list, search or filters."""

    exclude = ("access_token", "refresh_token")
    list_display = (
        "account_name",
        "platform",
        "team",
        "connected_by",
        "is_active",
        "health",
        "token_stored",
        "token_expires_at",
        "created_at",
    )
    list_filter = ("platform", "is_active", "health")
    list_select_related = ("team", "connected_by")
    search_fields = ("account_name", "account_id", "team__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "connected_by")
    readonly_fields = ("token_stored", "health", "last_error", "last_checked_at", "created_at", "updated_at")

    @admin.display(boolean=True, description="token stored")
    def token_stored(self, obj: SocialAccount) -> bool:
        return bool(obj.access_token)


@admin.register(PublishResult)
class PublishResultAdmin(admin.ModelAdmin):
    list_display = ("post", "social_account", "platform", "status", "platform_post_id", "published_at", "created_at")
    list_filter = ("status", "platform")
    list_select_related = ("post", "social_account")
    search_fields = ("platform_post_id", "post__title", "social_account__account_name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("post", "social_account")
    readonly_fields = ("idempotency_key", "attempts", "claimed_until", "created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SandboxPost)
class SandboxPostAdmin(admin.ModelAdmin):
    list_filter = ("created_at",)
    list_display = ("account_name", "account_id", "idempotency_key", "created_at")
    search_fields = ("account_id", "idempotency_key", "text")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "updated_at")


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ("original_name", "team", "kind", "content_type", "size_bytes", "width", "height", "created_at")
    list_filter = ("kind", "content_type")
    list_select_related = ("team",)
    search_fields = ("original_name", "team__name")
    autocomplete_fields = ("team", "uploaded_by")
    readonly_fields = ("created_at", "updated_at")


@admin.register(PostMedia)
class PostMediaAdmin(admin.ModelAdmin):
    list_filter = ("asset__kind",)
    search_fields = ("post__title", "asset__original_name", "asset__alt_text")
    list_display = ("post", "asset", "position")
    list_select_related = ("post", "asset")
    autocomplete_fields = ("post", "asset")
