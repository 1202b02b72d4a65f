"""API shapes for auth, profile and API keys (snake_case here; clients see camelCase)."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.forms import NOTIFICATION_CHOICES, PLATFORM_CHOICES, TONE_CHOICES
from accounts.models import ApiKey, User, UserPreferences
from accounts.plan_hooks import plan_summary
from accounts.services import user_preferences_ensure

# --- Requests ---------------------------------------------------------------------------------


class RegisterRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)


class LoginRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="TOTP code or recovery code when 2FA is on."
    )


class RefreshRequestSerializer(serializers.Serializer):
    refresh_token = serializers.CharField()


class LogoutRequestSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(required=False, allow_blank=True)


class PreferencesUpdateSerializer(serializers.Serializer):
    default_platform = serializers.ChoiceField(choices=PLATFORM_CHOICES, required=False)
    default_tone = serializers.ChoiceField(choices=TONE_CHOICES, required=False)
    default_audience = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    timezone = serializers.CharField(max_length=64, required=False)
    notification_settings = serializers.DictField(child=serializers.BooleanField(), required=False)
    brand_settings = serializers.DictField(required=False)

    def validate_timezone(self, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise serializers.ValidationError(_("Unknown time zone; use an IANA name such as Europe/Paris."))
        return value

    def validate_notification_settings(self, value: dict[str, bool]) -> dict[str, bool]:
        known = {key for key, _label in NOTIFICATION_CHOICES}
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown notification settings: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return value


class MeUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    preferences = PreferencesUpdateSerializer(required=False)


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ApiKey.Scope.choices), min_length=1, default=lambda: ["read"]
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


# --- Responses --------------------------------------------------------------------------------


class TokensSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    refresh_expires_in = serializers.IntegerField(help_text="Seconds until the refresh token expires.")


class UsageQuotaSerializer(serializers.Serializer):
    content_generations = serializers.IntegerField()
    max_content_generations = serializers.IntegerField(allow_null=True)
    api_calls = serializers.IntegerField()
    max_api_calls = serializers.IntegerField(allow_null=True)
    reset_date = serializers.DateTimeField(allow_null=True)


class PreferencesSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserPreferences
        fields = [
            "default_platform",
            "default_tone",
            "default_audience",
            "notification_settings",
            "brand_settings",
            "language",
            "timezone",
        ]


class UserSerializer(serializers.Serializer):
    """The spec's User without passwordHash; plan fields come from the user's current team."""

    id = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    avatar = serializers.CharField(allow_null=True)
    subscription_tier = serializers.ChoiceField(choices=["FREE", "PRO", "ENTERPRISE"])
    subscription_status = serializers.CharField()
    email_verified = serializers.BooleanField()
    two_factor_enabled = serializers.BooleanField()
    usage_quota = UsageQuotaSerializer()
    preferences = PreferencesSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def user_payload(user: User) -> dict[str, Any]:
    """The `user` object of auth and profile responses (plan fields from billing's registered summary)."""
    plan = plan_summary(team_id=user.current_team_id)
    prefs = user_preferences_ensure(user=user)
    data = {
        "id": str(user.pk),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "avatar": user.avatar.url if user.avatar else None,
        "subscription_tier": plan["subscription_tier"],
        "subscription_status": plan["subscription_status"],
        "email_verified": user.email_verified,
        "two_factor_enabled": user.two_factor_enabled,
        "usage_quota": plan["usage_quota"],
        "preferences": PreferencesSerializer(prefs).data,
        "created_at": user.date_joined,
        "updated_at": user.updated_at,
    }
    return UserSerializer(data).data


class ApiKeySerializer(serializers.ModelSerializer):
    """A key as listed: never its secret."""

    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "status", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def get_status(self, key: ApiKey) -> str:
        if key.revoked_at is not None:
            return "REVOKED"
        return "ACTIVE" if key.is_usable() else "EXPIRED"


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The full key. Shown only in this response; store it now.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
