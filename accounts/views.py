"""Settings pages: profile and preferences, security (2FA, sessions, API keys, activity), privacy (export, deletion)."""

from __future__ import annotations

import base64
import io
from typing import Any, cast

import qrcode
from allauth.account.stages import LoginStageController
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from accounts import gdpr, selectors, services
from accounts.adapter import OTP_STAGE_KEY
from accounts.forms import OTPTokenForm, PasswordConfirmForm, PreferencesForm, ProfileForm
from accounts.i18n import supported_language
from accounts.models import SealedTOTPDevice as TOTPDevice
from accounts.models import SecurityEvent, User
from accounts.profile import user_profile_update
from core.api.errors import ApiError

RECOVERY_CODES_SESSION_KEY = "_cg_new_recovery_codes"


def _user(request: HttpRequest) -> User:
    """The signed-in user (every caller is behind login_required)."""
    return cast(User, request.user)


def _settings_page(request: HttpRequest, template: str, tab: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "settings", "settings_tab": tab, **context})


# --- Language -----------------------------------------------------------------------------------


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language (cookie + redirect to `next`), saved on the user too."""
    language = supported_language(request.POST.get("language"))
    if language is None or language != request.POST.get("language", "").lower():
        return render(request, "errors/400.html", {"message": _("Choose one of the offered languages.")}, status=400)
    if request.user.is_authenticated:
        user_profile_update(user=_user(request), preferences={"language": language})
    translation.activate(language)
    return django_set_language(request)


# --- Profile ----------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prefs = services.user_preferences_ensure(user=user)
    profile_form = ProfileForm(instance=user)
    prefs_form = PreferencesForm(instance=prefs)
    if request.method == "POST":
        if request.POST.get("form") == "preferences":
            prefs_form = PreferencesForm(request.POST, instance=prefs)
            if prefs_form.is_valid():
                prefs = prefs_form.save()
                translation.activate(prefs.language)  # the confirmation already speaks the new language
                messages.success(request, _("Preferences saved."))
                return redirect("accounts:profile")
        else:
            profile_form = ProfileForm(request.POST, request.FILES, instance=user)
            if profile_form.is_valid():
                profile_form.save()
                messages.success(request, _("Profile saved."))
                return redirect("accounts:profile")
    return _settings_page(
        request,
        "accounts/profile.html",
        "profile",
        {
            "profile_form": profile_form,
            "prefs_form": prefs_form,
            "email_verified": selectors.user_has_verified_email(user),
        },
    )


# --- Security ---------------------------------------------------------------------------------


def _api_keys(user: Any) -> list[Any]:
    from accounts.api_keys import api_key_list

    return list(api_key_list(user=user))


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return _settings_page(
        request,
        "accounts/security.html",
        "security",
        {
            "sessions": selectors.user_sessions_list(user=user),
            "current_session_key": request.session.session_key,
            "api_keys": _api_keys(user),
            "new_api_key": request.session.pop("_cg_new_api_key", None),
            "events": selectors.security_events_recent(user=user),
        },
    )


@login_required
@require_POST
def session_revoke(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = selectors.user_session_get(user=_user(request), session_id=session_id)
    is_current = session.session_key == request.session.session_key
    services.user_session_revoke(session=session, request=request)
    if is_current:
        logout(request)
        return redirect("account_login")
    messages.success(request, _("That session is signed out."))
    return redirect("accounts:security")


@login_required
@require_POST
def api_key_create(request: HttpRequest) -> HttpResponse:
    from accounts.api_keys import api_key_create as create

    try:
        _key, plaintext = create(
            user=_user(request),
            name=request.POST.get("name", ""),
            scopes=request.POST.getlist("scopes"),
            request=request,
        )
    except ApiError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    # Shown once on the next page view, then gone from the session.
    request.session["_cg_new_api_key"] = plaintext
    return redirect("accounts:security")


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, key_id: Any) -> HttpResponse:
    from accounts.api_keys import api_key_revoke as revoke

    revoke(user=_user(request), key_id=str(key_id), request=request)
    messages.success(request, _("The API key is revoked."))
    return redirect("accounts:security")


# --- Two-factor -------------------------------------------------------------------------------


def _qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.two_factor_enabled:
        return redirect("accounts:security")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = services.totp_device_confirm(device=device, token=form.cleaned_data["otp_token"], request=request)
        if codes is not None:
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("accounts:recovery_codes")
        form.add_error("otp_token", _("That code is not right. Check your phone's clock and try the newest code."))
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=user)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return _settings_page(
        request,
        "accounts/two_factor_setup.html",
        "security",
        {"form": form, "qr_data_uri": _qr_data_uri(device), "secret": secret},
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly issued codes exactly once; afterwards only a new set can be made."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not _user(request).two_factor_enabled:
        return redirect("accounts:security")
    form = PasswordConfirmForm(request.POST or None, user=_user(request), request=request)
    if request.method == "POST" and form.is_valid():
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_regenerate(
            user=_user(request), request=request
        )
        return redirect("accounts:recovery_codes")
    return _settings_page(request, "accounts/recovery_codes.html", "security", {"codes": codes, "form": form})


@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if not _user(request).two_factor_enabled:
        return redirect("accounts:security")
    form = PasswordConfirmForm(request.POST or None, user=_user(request), request=request)
    if request.method == "POST" and form.is_valid():
        services.two_factor_disable(user=_user(request), request=request)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:security")
    return _settings_page(request, "accounts/two_factor_disable.html", "security", {"form": form})


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The login stage: the password was right, now the second factor decides."""
    stage = LoginStageController.enter(request, OTP_STAGE_KEY)
    if stage is None or stage.login.user is None:
        return redirect("account_login")
    user = stage.login.user
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, token=form.cleaned_data["otp_token"], request=request)
        if device is not None:
            response = stage.exit()
            if request.user.is_authenticated:
                otp_login(request, device)
            return response
        form.add_error("otp_token", _("That code is not valid. Try the newest code from your app, or a recovery code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


# --- Privacy ----------------------------------------------------------------------------------


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    export = selectors.data_export_latest(user=user)
    download_token = gdpr.data_export_link_token(export) if export and export.status == export.Status.READY else None
    return _settings_page(
        request,
        "accounts/privacy.html",
        "privacy",
        {
            "export": export,
            "download_token": download_token,
            "delete_form": PasswordConfirmForm(user=user),
            "pending_deletion": selectors.account_deletion_pending(user=user),
        },
    )


@login_required
@require_POST
def data_export_request(request: HttpRequest) -> HttpResponse:
    services.data_export_request(user=_user(request), request=request)
    messages.success(request, _("We are preparing your data. The download link appears here when it is ready."))
    return redirect("accounts:privacy")


@login_required
def data_export_status(request: HttpRequest) -> HttpResponse:
    """htmx polls this card while the ZIP is being built."""
    export = selectors.data_export_latest(user=_user(request))
    download_token = gdpr.data_export_link_token(export) if export and export.status == export.Status.READY else None
    return render(request, "accounts/partials/export_card.html", {"export": export, "download_token": download_token})


@login_required
def data_export_download(request: HttpRequest, token: str) -> FileResponse:
    export = gdpr.data_export_from_token(token, user=_user(request))
    if export is None or not export.file_name or not default_storage.exists(export.file_name):
        raise Http404("This download link has expired. Request a new export.")
    services.security_event_record(
        user=_user(request), kind=SecurityEvent.Kind.DATA_EXPORT_DOWNLOADED, request=request, export=str(export.pk)
    )
    return FileResponse(
        default_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"contentgenai-data-{export.created_at:%Y%m%d}.zip",
        content_type="application/zip",
    )


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST or None, user=_user(request), request=request)
    if request.method == "POST" and form.is_valid():
        deletion = services.account_deletion_request(user=_user(request), request=request)
        logout(request)
        messages.info(
            request,
            _("Your account will be deleted on %(date)s. Sign in before then to keep it.")
            % {"date": f"{deletion.scheduled_for:%d %B %Y}"},
        )
        return redirect("account_login")
    export = selectors.data_export_latest(user=_user(request))
    return _settings_page(
        request,
        "accounts/privacy.html",
        "privacy",
        {"export": export, "download_token": None, "delete_form": form, "pending_deletion": None},
    )
