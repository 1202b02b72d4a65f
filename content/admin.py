from __future__ import annotations

from django import forms
from django.contrib import admin

from content.models import (
    AIProviderConfig,
    ContentPost,
    ContentTemplate,
    ContentTemplateVersion,
    GenerationRecord,
    PostRevision,
    PostShare,
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
