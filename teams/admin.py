from __future__ import annotations

from django.contrib import admin

from teams.models import (
    ActivityEvent,
    Invitation,
    Membership,
    Notification,
    Team,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_personal", "timezone", "requires_approval", "created_at")
    list_filter = ("is_personal", "requires_approval")
    list_select_related = ("owner",)
    search_fields = ("name", "owner__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "team")
    search_fields = ("user__email", "team__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("user", "team")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "team", "kind", "read_at", "created_at")
    list_filter = ("kind", "event", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "team")
    search_fields = ("title", "body", "user__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("user", "team")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Only the token's hash is stored: an operator can revoke an invitation but never read its link."""

    list_display = ("email", "team", "role", "status", "expires_at", "invited_by", "created_at")
    list_filter = ("status", "role")
    list_select_related = ("team", "invited_by")
    search_fields = ("email", "team__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "invited_by", "accepted_by")
    readonly_fields = ("created_at", "updated_at", "responded_at")
    exclude = ("token_hash",)


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: operators read it, nobody edits it."""

    list_display = ("created_at", "team", "actor", "verb", "summary")
    list_filter = ("verb",)
    list_select_related = ("team", "actor")
    search_fields = ("summary", "verb", "team__name", "actor__email", "target_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
