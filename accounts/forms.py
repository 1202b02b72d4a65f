"""Forms for sign-up, profile, preferences, two-factor and the password-confirmed actions."""

from __future__ import annotations

import io
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User, UserPreferences
from core.uploads import TooManyPixels, UploadRefused, image_header

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP"}
AVATAR_SIZE = 256

# The platforms of content/data/platform_rules.json; accounts sits below content in the import order.
PLATFORM_CHOICES = [
    ("linkedin", "LinkedIn"),
    ("twitter", "X (Twitter)"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("tiktok", "TikTok"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
]
TONE_CHOICES = [
    ("professional", _("Professional")),
    ("casual", _("Casual")),
    ("friendly", _("Friendly")),
    ("humorous", _("Humorous")),
    ("inspirational", _("Inspirational")),
    ("educational", _("Educational")),
]
NOTIFICATION_CHOICES = [
    ("email_publish_failed", _("Email me when a post fails to publish")),
    ("email_approval_requested", _("Email me when a post waits for my approval")),
    ("email_weekly_digest", _("Send me a weekly performance summary")),
    ("in_app_published", _("Notify me in the app when a post goes live")),
]


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request: Any, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name", "updated_at"])


def avatar_normalise(upload: UploadedFile) -> InMemoryUploadedFile:
    """Accept only real JPEG/PNG/WebP images up to 2 MB; re-encode a square thumbnail so no original bytes survive."""
    if upload.size is None or upload.size > AVATAR_MAX_BYTES:
        raise forms.ValidationError(_("The picture must be 2 MB or smaller."), code="too_large")
    try:
        # The header is measured before any pixel is decoded (IMAGE_MAX_PIXELS).
        image_format = image_header(upload).format
    except TooManyPixels as exc:
        raise forms.ValidationError(str(exc), code="too_many_pixels") from exc
    except UploadRefused as exc:
        raise forms.ValidationError(_("Upload a JPEG, PNG or WebP picture."), code="not_image") from exc
    if image_format not in AVATAR_FORMATS:
        raise forms.ValidationError(_("Upload a JPEG, PNG or WebP picture."), code="bad_format")
    try:
        opened: Image.Image = Image.open(upload)
        opened.draft("RGBA", (AVATAR_SIZE, AVATAR_SIZE))
        opened.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise forms.ValidationError(_("Upload a JPEG, PNG or WebP picture."), code="not_image") from exc
    image = opened.convert("RGBA")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize(
        (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(out, "avatar", "avatar.png", "image/png", size, None)


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        label=_("Profile picture"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 2 MB."),
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "avatar"]
        labels = {"first_name": _("First name"), "last_name": _("Last name")}

    def clean_avatar(self) -> Any:
        upload = self.cleaned_data.get("avatar")
        if isinstance(upload, UploadedFile):
            return avatar_normalise(upload)
        return upload


class PreferencesForm(forms.ModelForm):
    default_platform = forms.ChoiceField(label=_("Default platform"), choices=PLATFORM_CHOICES)
    default_tone = forms.ChoiceField(label=_("Default tone"), choices=TONE_CHOICES)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=_("Time zone"))
    notifications = forms.MultipleChoiceField(
        label=_("Notifications"), choices=NOTIFICATION_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = UserPreferences
        fields = ["default_platform", "default_tone", "default_audience", "language", "timezone"]
        labels = {"default_audience": _("Default audience")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        self.fields["timezone"].choices = zones  # type: ignore[attr-defined]
        current = self.instance.notification_settings or {}
        self.fields["notifications"].initial = [key for key, _label in NOTIFICATION_CHOICES if current.get(key)]

    def save(self, commit: bool = True) -> UserPreferences:
        prefs = super().save(commit=False)
        chosen = set(self.cleaned_data.get("notifications") or [])
        prefs.notification_settings = {
            **(prefs.notification_settings or {}),
            **{key: key in chosen for key, _label in NOTIFICATION_CHOICES},
        }
        if commit:
            prefs.save()
        return prefs


class OTPTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_otp_token(self) -> str:
        return "".join(self.cleaned_data["otp_token"].split())


class PasswordConfirmForm(forms.Form):
    """Re-authentication for sensitive actions: the password, plus a 2FA code when 2FA is on."""

    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput({"autocomplete": "current-password"})
    )
    otp_token = forms.CharField(
        label=_("Two-factor code or recovery code"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, user: User, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if not user.two_factor_enabled:
            del self.fields["otp_token"]
        else:
            self.fields["otp_token"].required = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."), code="wrong_password")
        return password

    def clean_otp_token(self) -> str:
        from accounts.services import two_factor_verify

        token = "".join(self.cleaned_data.get("otp_token", "").split())
        if two_factor_verify(user=self.user, token=token, request=self.request) is None:
            raise forms.ValidationError(_("That code is not valid."), code="wrong_code")
        return token
