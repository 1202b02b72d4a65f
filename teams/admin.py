from __future__ import annotations

from django.contrib import admin

from teams.models import (
    ActivityEvent,
    ApprovalDecision,
    ApprovalStage,
    ApprovalWorkflow,
    Brand,
    BrandAsset,
    ClientApprovalLink,
    Invitation,
    Membership,
    Notification,
    PostComment,
    Task,
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


class BrandAssetInline(admin.TabularInline):
    model = BrandAsset
    extra = 0
    readonly_fields = ("content_type", "size", "created_at")


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_filter = ("created_at",)
    list_display = ("name", "team", "created_at")
    list_select_related = ("team",)
    search_fields = ("name", "team__name")
    autocomplete_fields = ("team",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (BrandAssetInline,)


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


@admin.register(BrandAsset)
class BrandAssetAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "kind", "content_type", "size", "created_at")
    list_filter = ("kind",)
    list_select_related = ("brand",)
    search_fields = ("name", "brand__name")
    autocomplete_fields = ("brand",)
    readonly_fields = ("content_type", "size", "created_at", "updated_at")


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


class ApprovalStageInline(admin.TabularInline):
    model = ApprovalStage
    extra = 0
    filter_horizontal = ("reviewers",)


@admin.register(ApprovalWorkflow)
class ApprovalWorkflowAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "brand", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("team", "brand")
    search_fields = ("name", "team__name")
    autocomplete_fields = ("team",)
    raw_id_fields = ("brand",)
    inlines = (ApprovalStageInline,)


@admin.register(ApprovalStage)
class ApprovalStageAdmin(admin.ModelAdmin):
    list_filter = ("position", "required_approvals")
    list_display = ("name", "workflow", "position", "required_approvals")
    list_select_related = ("workflow", "workflow__team")
    search_fields = ("name", "workflow__name", "workflow__team__name")
    raw_id_fields = ("workflow",)
    filter_horizontal = ("reviewers",)


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(admin.ModelAdmin):
    list_display = (
        "post",
        "verdict",
        "reviewer",
        "client_email",
        "round",
        "stage_name",
        "invalidated_at",
        "created_at",
    )
    list_filter = ("verdict",)
    list_select_related = ("post", "reviewer")
    search_fields = ("client_email", "reviewer__email", "comment")
    raw_id_fields = ("team", "post", "reviewer")
    date_hierarchy = "created_at"


@admin.register(PostComment)
class PostCommentAdmin(admin.ModelAdmin):
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "created_at")
    list_display = ("__str__", "post", "author", "resolved_at", "created_at")
    list_select_related = ("post", "author")
    search_fields = ("body", "author__email")
    raw_id_fields = ("team", "post", "author", "parent", "resolved_by")
    filter_horizontal = ("mentions",)
    date_hierarchy = "created_at"


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_filter = (("done_at", admin.EmptyFieldListFilter), "due_at")
    list_display = ("title", "team", "assignee", "due_at", "done_at", "reminder_sent_at", "overdue_sent_at")
    list_select_related = ("team", "assignee")
    search_fields = ("title", "assignee__email")
    raw_id_fields = ("team", "post", "assignee", "created_by")
    date_hierarchy = "created_at"


@admin.register(ClientApprovalLink)
class ClientApprovalLinkAdmin(admin.ModelAdmin):
    list_filter = (("used_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    list_display = ("post", "client_email", "expires_at", "revoked_at", "used_at", "created_at")
    list_select_related = ("post",)
    search_fields = ("client_email", "client_name")
    raw_id_fields = ("team", "post", "created_by", "decision")
    readonly_fields = ("used_at", "decision")
