from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.timesince import timesince

from accounts.models import User
from core.api.errors import ApiError
from moderation.audit import audit_export_csv, audit_export_json, audit_record
from moderation.models import (
    ContentFingerprint,
    FingerprintKey,
    ModerationAuditEvent,
    ModerationCase,
    ModerationPolicy,
    PolicyRule,
    ProtectedTerm,
)
from moderation.services import case_approve, case_claim, case_reject


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the admin is behind login
    return request.user


class PolicyRuleInline(admin.TabularInline):
    model = PolicyRule
    extra = 1
    fields = ("kind", "value", "label", "action", "is_active")


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "team", "brand_id", "min_audience_age", "ai_enabled", "disclosure_action")
    list_filter = ("min_audience_age", "ai_enabled")
    list_select_related = ("team",)
    search_fields = ("team__name",)
    autocomplete_fields = ("team",)
    inlines = [PolicyRuleInline]

    def save_model(self, request: HttpRequest, obj: ModerationPolicy, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            kind=ModerationAuditEvent.Kind.POLICY_CHANGED,
            team=obj.team_id,
            actor=request.user,
            subject_type="policy",
            subject_id=str(obj.pk),
            note=f"{'Changed' if change else 'Created'} in the admin.",
        )


@admin.register(PolicyRule)
class PolicyRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "policy", "kind", "action", "is_active")
    list_filter = ("kind", "action", "is_active")
    list_select_related = ("policy__team",)
    search_fields = ("value", "label", "policy__team__name")
    raw_id_fields = ("policy",)


@admin.register(ProtectedTerm)
class ProtectedTermAdmin(admin.ModelAdmin):
    list_filter = ("created_at",)
    list_display = ("term", "owner", "team")
    list_select_related = ("team",)
    search_fields = ("term", "owner", "team__name")
    autocomplete_fields = ("team",)


class FingerprintKeyInline(admin.TabularInline):
    """A fingerprint's band-pair keys, what the near-copy search finds it by; written with it, read-only."""

    model = FingerprintKey
    fields = readonly_fields = ("key",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContentFingerprint)
class ContentFingerprintAdmin(admin.ModelAdmin):
    """The near-duplicate index is written by publishing; rows can be inspected or removed."""

    inlines = [FingerprintKeyInline]

    list_filter = ("created_at",)
    list_display = ("post_id", "team", "excerpt", "created_at")
    list_select_related = ("team",)
    search_fields = ("post_id", "excerpt", "team__name")
    readonly_fields = [f.name for f in ContentFingerprint._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModerationCase)
class ModerationCaseAdmin(admin.ModelAdmin):
    """The review queue in the admin. Cases change only through the actions, which audit them."""

    list_display = ("created_at", "age", "team", "author", "decision", "status", "claimed_by", "excerpt")
    list_filter = ("status", "decision", "platform", "created_at")
    list_select_related = ("team", "author", "claimed_by")
    search_fields = ("text", "team__name", "author__email")
    date_hierarchy = "created_at"
    actions = ["claim", "approve", "reject"]
    readonly_fields = [f.name for f in ModerationCase._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Age")
    def age(self, obj: ModerationCase) -> str:
        return timesince(obj.created_at, timezone.now())

    @admin.display(description="Text")
    def excerpt(self, obj: ModerationCase) -> str:
        return obj.text[:80]

    def _act(self, request: HttpRequest, queryset: QuerySet[ModerationCase], verb: str, action: Any) -> None:
        done, failed = 0, []
        for case in queryset:
            try:
                action(case)
                done += 1
            except ApiError as exc:
                failed.append(f"{str(case.pk)[:8]}: {exc.message}")
        if done:
            self.message_user(request, f"{done} case(s) {verb}.", messages.SUCCESS)
        for message in failed:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Claim the selected cases")
    def claim(self, request: HttpRequest, queryset: QuerySet[ModerationCase]) -> None:
        self._act(request, queryset, "claimed", lambda c: case_claim(case=c, moderator=_user(request)))

    def _with_note(
        self, request: HttpRequest, queryset: QuerySet[ModerationCase], *, action: str, verb: str, required: bool
    ) -> HttpResponse | None:
        """Ask for the note to the author on an intermediate page, then act with it."""
        note = str(request.POST.get("note", "")).strip()[:2000]
        if request.POST.get("apply") and (note or not required):
            do = case_approve if action == "approve" else case_reject
            self._act(request, queryset, verb, lambda c: do(case=c, moderator=_user(request), note=note))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.capitalize()} cases",
            "cases": list(queryset.select_related("team")),
            "action": action,
            "verb": action,
            "note": note,
            "note_required": required,
            "error": "Write a note for the author." if request.POST.get("apply") else "",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/moderation/case_note.html", context)

    @admin.action(description="Approve the selected cases (with a note)")
    def approve(self, request: HttpRequest, queryset: QuerySet[ModerationCase]) -> HttpResponse | None:
        return self._with_note(request, queryset, action="approve", verb="approved", required=False)

    @admin.action(description="Reject the selected cases (with a note)")
    def reject(self, request: HttpRequest, queryset: QuerySet[ModerationCase]) -> HttpResponse | None:
        return self._with_note(request, queryset, action="reject", verb="rejected", required=True)


@admin.register(ModerationAuditEvent)
class ModerationAuditEventAdmin(admin.ModelAdmin):
    """Evidence: listed, filtered by date and exported; never added, changed or deleted here."""

    list_display = ("at", "kind", "decision", "status_before", "status_after", "actor_email", "team_id", "case_id")
    list_filter = ("kind", "decision", "context", "at")
    search_fields = ("actor_email", "text_hash", "subject_id", "note")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in ModerationAuditEvent._meta.fields]
    actions = ["export_csv", "export_json"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _export(self, request: HttpRequest, queryset: QuerySet[ModerationAuditEvent], fmt: str) -> HttpResponse:
        events = list(queryset.order_by("at", "id"))
        body = audit_export_csv(events) if fmt == "csv" else audit_export_json(events)
        audit_record(kind=ModerationAuditEvent.Kind.EXPORTED, actor=request.user, note=f"{len(events)} events as {fmt}")
        response = HttpResponse(body, content_type="text/csv" if fmt == "csv" else "application/json")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="moderation-audit-{stamp}.{fmt}"'
        return response

    @admin.action(description="Export the selected events as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[ModerationAuditEvent]) -> HttpResponse:
        return self._export(request, queryset, "csv")

    @admin.action(description="Export the selected events as JSON")
    def export_json(self, request: HttpRequest, queryset: QuerySet[ModerationAuditEvent]) -> HttpResponse:
        return self._export(request, queryset, "json")
