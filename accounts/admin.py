from __future__ import annotations

from allauth.socialaccount.models import SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import (
    AccountDeletion,
    ApiKey,
    DataExport,
    RecoveryCode,
    RecoveryCodeDevice,
    RevokedTokenFamily,
    SealedTOTPDevice,
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
    list_filter = ("last_seen_at", "created_at")
    list_display = ("user", "ip", "created_at", "last_seen_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "ip")
    # The session key is a bearer credential: never displayed.
    fields = ("user", "ip", "user_agent", "created_at", "last_seen_at")


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    list_filter = ("scheduled_for", "requested_at")
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

    list_filter = ("confirmed",)
    list_display = ("user", "name", "confirmed", "throttling_failure_count")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = ("user", "name", "confirmed", "throttling_failure_count", "throttling_failure_timestamp")
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ReadOnlyAdmin):
    list_filter = (("used_at", admin.EmptyFieldListFilter),)
    list_display = ("device", "used_at")
    list_select_related = ("device__user",)
    search_fields = ("device__user__email",)
    fields = ("device", "used_at")


@admin.register(RevokedTokenFamily)
class RevokedTokenFamilyAdmin(ReadOnlyAdmin):
    """Ended API logins (logout, replayed refresh token); their access tokens are refused until expiry."""

    list_display = ("family", "user", "revoked_at", "expires_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("family", "user__email")
    fields = ("family", "user", "revoked_at", "expires_at")


@admin.register(SealedTOTPDevice)
class SealedTOTPDeviceAdmin(admin.ModelAdmin):
    """Authenticator apps: the seed is neither shown nor offered as a QR code (it would let anyone mint codes).

    Deleting a device is allowed (a lost phone); its owner enrols again from their settings.
    """

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__email", "name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


for _model in (OutstandingToken, StaticDevice, SocialApp, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# --- Credentials kept by third-party apps ---------------------------------------------------------
# Their stock admins show the secret (a refresh token, a TOTP seed via the QR link, static codes,
# an OAuth app secret, stored provider tokens); these keep the rows visible without it.
# (django-otp's TOTP admin hides the seed itself with OTP_ADMIN_HIDE_SENSITIVE_DATA, set in settings.)


@admin.register(OutstandingToken)
class OutstandingTokenAdmin(ReadOnlyAdmin):
    list_display = ("jti", "user", "created_at", "expires_at")
    list_filter = ("expires_at",)
    list_select_related = ("user",)
    search_fields = ("jti", "user__email")
    # The token itself is a live refresh credential.
    fields = ("jti", "user", "created_at", "expires_at")


@admin.register(StaticDevice)
class StaticDeviceAdmin(admin.ModelAdmin):
    """Kept for devices made before recovery codes moved to hashed RecoveryCode rows; codes never shown."""

    list_display = ("user", "name", "created_at", "last_used_at", "confirmed")
    list_filter = ("confirmed", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class SocialAppForm(forms.ModelForm):
    # Write-only, like the AI provider keys: a blank field keeps the stored secret.
    secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text="Leave blank to keep the current one."
    )
    key = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text="Leave blank to keep the current one."
    )

    class Meta:
        model = SocialApp
        fields = ("provider", "provider_id", "name", "client_id", "secret", "key", "settings", "sites")

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")

    def clean_key(self) -> str:
        return self.cleaned_data["key"] or (self.instance.key if self.instance.pk else "")


@admin.register(SocialApp)
class SocialAppAdmin(admin.ModelAdmin):
    """Providers are normally configured by env vars (settings); a row here is the database fallback."""

    form = SocialAppForm
    list_display = ("name", "provider", "client_id")
    list_filter = ("provider",)
    search_fields = ("name", "provider", "client_id")
    filter_horizontal = ("sites",)


@admin.register(SocialToken)
class SocialTokenAdmin(ReadOnlyAdmin):
    # SOCIALACCOUNT_STORE_TOKENS is off, so rows appear only if it is switched on; never shown.
    list_display = ("account", "app", "expires_at")
    list_filter = ("app__provider", "expires_at")
    list_select_related = ("account__user", "app")
    search_fields = ("account__user__email", "account__uid")
    fields = ("account", "app", "expires_at")
