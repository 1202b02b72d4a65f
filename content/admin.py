from __future__ import annotations

from django import forms
from django.contrib import admin

from content.models import (
    AIProviderConfig,
    ApprovalDecision,
    ApprovalStage,
    ApprovalWorkflow,
    Brand,
    BrandAsset,
    ClientApprovalLink,
    ContentPost,
    ContentTemplate,
    ContentTemplateVersion,
    GenerationRecord,
    LinkClickDay,
    PostComment,
    PostRevision,
    PostShare,
    Task,
    TrackedLink,
)


@admin.register(ContentPost)
class ContentPostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "team", "author", "platform", "status", "scheduled_at", "published_at", "created_at")
    list_filter = ("status", "platform")
    list_select_related = ("team", "author")
    search_fields = ("title", "content", "team__name", "author__email")
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "author")
    raw_id_fields = ("brand",)
    readonly_fields = ("created_at", "updated_at", "review_round", "review_stage", "approved_at")


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    list_filter = ("created_at",)
    list_display = ("post", "number", "editor", "restored_from", "created_at")
    list_select_related = ("post", "editor")
    search_fields = ("title", "content", "editor__email")
    raw_id_fields = ("post", "editor")
    date_hierarchy = "created_at"


@admin.register(PostShare)
class PostShareAdmin(admin.ModelAdmin):
    list_filter = ("created_at",)
    list_display = ("post", "user", "shared_by", "created_at")
    list_select_related = ("post", "user", "shared_by")
    search_fields = ("user__email", "post__title")
    raw_id_fields = ("post", "user", "shared_by")
    date_hierarchy = "created_at"


class ContentTemplateVersionInline(admin.TabularInline):
    model = ContentTemplateVersion
    extra = 0
    fields = ("number", "note", "author", "created_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(ContentTemplate)
class ContentTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "platform", "tone", "is_public", "version", "updated_at")
    list_filter = ("is_public", "platform")
    list_select_related = ("team",)
    search_fields = ("name", "body", "team__name")
    autocomplete_fields = ("team", "created_by", "copied_from")
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = (ContentTemplateVersionInline,)


@admin.register(ContentTemplateVersion)
class ContentTemplateVersionAdmin(admin.ModelAdmin):
    list_filter = ("platform", "created_at")
    list_display = ("template", "number", "note", "author", "created_at")
    list_select_related = ("template", "author")
    search_fields = ("template__name", "note")
    autocomplete_fields = ("template", "author")
    readonly_fields = ("created_at", "updated_at")


class AIProviderConfigForm(forms.ModelForm):
    # The key is write-only here: never rendered back, and a blank field keeps the stored one.
    api_key = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text="Leave blank to keep the current key."
    )

    class Meta:
        model = AIProviderConfig
        fields = ("team", "name", "model", "max_tokens", "temperature", "is_active", "priority", "api_key", "base_url")

    def clean_api_key(self) -> str:
        return self.cleaned_data["api_key"] or (self.instance.api_key if self.instance.pk else "")


@admin.register(AIProviderConfig)
class AIProviderConfigAdmin(admin.ModelAdmin):
    form = AIProviderConfigForm
    list_display = ("name", "team", "model", "is_active", "priority", "has_key", "updated_at")
    list_filter = ("name", "is_active")
    list_select_related = ("team",)
    search_fields = ("team__name", "model")
    autocomplete_fields = ("team",)

    @admin.display(boolean=True, description="Key set")
    def has_key(self, obj: AIProviderConfig) -> bool:
        return bool(obj.api_key)


@admin.register(GenerationRecord)
class GenerationRecordAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "team",
        "user",
        "kind",
        "provider",
        "model",
        "tokens_in",
        "tokens_out",
        "latency_ms",
        "estimated_cost",
        "cache_hit",
        "succeeded",
    )
    list_filter = ("kind", "provider", "cache_hit", "succeeded")
    list_select_related = ("team", "user")
    search_fields = ("team__name", "user__email", "model")
    date_hierarchy = "created_at"
    autocomplete_fields = ("team", "user")
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


@admin.register(BrandAsset)
class BrandAssetAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "kind", "content_type", "size", "created_at")
    list_filter = ("kind",)
    list_select_related = ("brand",)
    search_fields = ("name", "brand__name")
    autocomplete_fields = ("brand",)
    readonly_fields = ("content_type", "size", "created_at", "updated_at")


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


class LinkClickDayInline(admin.TabularInline):
    model = LinkClickDay
    extra = 0
    fields = ("day", "referrer_host", "country", "clicks")
    readonly_fields = fields
    can_delete = False


@admin.register(TrackedLink)
class TrackedLinkAdmin(admin.ModelAdmin):
    list_display = ("code", "target_url", "campaign", "post", "team", "created_at")
    list_filter = ("created_at", "campaign")
    list_select_related = ("post", "team")
    search_fields = ("code", "target_url", "campaign", "team__name")
    raw_id_fields = ("team", "post")
    readonly_fields = ("code", "destination")
    date_hierarchy = "created_at"
    inlines = [LinkClickDayInline]


@admin.register(LinkClickDay)
class LinkClickDayAdmin(admin.ModelAdmin):
    list_display = ("link", "day", "referrer_host", "country", "clicks")
    list_filter = ("day", "country")
    list_select_related = ("link",)
    search_fields = ("link__code", "link__target_url", "referrer_host", "country")
    raw_id_fields = ("link",)
    date_hierarchy = "day"
