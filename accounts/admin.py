from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccountDeletion,
    ApiKey,
    DataExport,
    RecoveryCode,
    RecoveryCodeDevice,
    SecurityEvent,
    User,
    UserPreferences,
    UserSession,
)


class UserCreationForm(AdminUserCreationForm):
    """Email + password: the model has no username."""

    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserPreferencesInline(admin.StackedInline):
    model = UserPreferences
    can_delete = False
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    inlines = (UserPreferencesInline,)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "platform_role",
        "current_team",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("platform_role", "is_staff", "is_superuser", "is_active", "email_verified", "two_factor_enabled")
    list_select_related = ("current_team",)
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"
    autocomplete_fields = ("current_team",)
    readonly_fields = ("last_login", "date_joined", "updated_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("first_name", "last_name", "avatar", "current_team")}),
        (_("Status"), {"fields": ("is_active", "email_verified", "two_factor_enabled", "platform_role")}),
        (
            _("Permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions"), "classes": ("collapse",)},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    def get_inlines(self, request, obj):  # type: ignore[no-untyped-def]
        # The add page is the short email + password form; preferences are edited once the user exists.
        return self.inlines if obj is not None else ()


# --- Security ---------------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is evidence: visible to admins, never edited or deleted through the admin."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "user", "ip")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("user__email", "ip")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "kind", "user", "ip", "user_agent", "data")


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ("user", "ip", "created_at", "last_seen_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "ip")
    # The session key is a bearer credential: never displayed.
    fields = ("user", "ip", "user_agent", "created_at", "last_seen_at")


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    list_display = ("user", "requested_at", "scheduled_for")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ("user", "status", "created_at", "ready_at")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = ("user", "status", "created_at", "ready_at")


# --- API access -------------------------------------------------------------------------------


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created by their owner (the plaintext is shown to them once); admins can only revoke."""

    list_display = ("prefix", "name", "user", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("prefix", "name", "user__email")
    # The digest is never shown: it is enough to check a guessed key offline.
    fields = ("user", "name", "prefix", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_keys",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke_keys(self, request, queryset):  # type: ignore[no-untyped-def]
        from accounts.api_keys import api_key_revoke

        for key in queryset.filter(revoked_at__isnull=True).select_related("user"):
            api_key_revoke(user=key.user, key_id=str(key.pk), request=request)


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(admin.ModelAdmin):
    """Staff may delete a device (a user locked out of 2FA); codes themselves are never shown."""

    list_display = ("user", "name", "confirmed", "throttling_failure_count")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = ("user", "name", "confirmed", "throttling_failure_count", "throttling_failure_timestamp")
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ReadOnlyAdmin):
    list_display = ("device", "used_at")
    list_select_related = ("device__user",)
    search_fields = ("device__user__email",)
    fields = ("device", "used_at")
