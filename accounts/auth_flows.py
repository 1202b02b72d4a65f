"""Sign-up and login for the API: the same checks as the dashboard (axes lockout, 2FA, allauth mail)."""

from __future__ import annotations

import math
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp import devices_for_user

from accounts.models import RecoveryCodeDevice, SecurityEvent, User
from accounts.services import account_deletion_cancel, security_event_record
from core.api.errors import ApiError, OtpRequired, ValidationFailed


class InvalidCredentials(ApiError):
    status_code = 401
    code = "INVALID_AUTHENTICATION"
    default_detail = "The email or password is incorrect."


class AccountLockedOut(ApiError):
    status_code = 429
    code = "RATE_LIMIT_EXCEEDED"
    default_detail = "Too many failed login attempts. The account is locked for a while; try again later."
    retryable = True


def _django_request(request: Any) -> Any:
    return getattr(request, "_request", request)


def user_register(*, request: Any, email: str, password: str, first_name: str, last_name: str) -> User:
    """Create the account (its personal team comes with it) and send the verification email on commit."""
    email = email.strip().lower()
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], details={"password": exc.messages}) from exc
    taken = ValidationFailed(
        "An account with this email already exists. Log in or reset your password.",
        details={"email": ["An account with this email already exists."]},
    )
    if User.objects.filter(email__iexact=email).exists():
        raise taken
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
            )
            address, _created = EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"primary": True, "verified": False}
            )
    except IntegrityError as exc:  # a concurrent sign-up with the same address won the race
        raise taken from exc
    django_request = _django_request(request)
    # allauth builds the link, renders the branded template and sends through EMAIL_BACKEND.
    transaction.on_commit(lambda: address.send_confirmation(django_request, signup=True))
    return user


def _lockout_error() -> AccountLockedOut:
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return AccountLockedOut(
        f"Too many failed login attempts. Try again in {minutes} minutes or reset your password.",
        retry_after=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def _second_factor_check(*, user: User, otp_token: str, request: Any) -> None:
    """Any confirmed django-otp device (TOTP, recovery codes, ...) makes a valid code mandatory."""
    if not any(True for _device in devices_for_user(user, confirmed=True)):
        return
    token = "".join((otp_token or "").split())
    if not token:
        raise OtpRequired("Two-factor authentication is on: send otpToken with a code from your app.")
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, _why = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                if isinstance(device, RecoveryCodeDevice):
                    security_event_record(user=user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED, request=request)
                return
    security_event_record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request)
    raise OtpRequired(
        "The two-factor code is not valid.", details={"otp_token": ["The code is wrong, expired or already used."]}
    )


def user_login(*, request: Any, email: str, password: str, otp_token: str = "") -> User:
    """The user these credentials (and second factor) prove, or an error. Nothing is issued here."""
    email = email.strip().lower()
    # `login` is the field axes counts failures by (AXES_USERNAME_FORM_FIELD, shared with the allauth form).
    # The DRF request (not the Django one) keeps axes' lockout flag off the response the middleware sees,
    # so the client gets this envelope instead of axes' page.
    user = authenticate(request, username=email, login=email, password=password)
    if getattr(request, "axes_locked_out", False):
        raise _lockout_error()
    if not isinstance(user, User) or not user.is_active:
        raise InvalidCredentials()
    _second_factor_check(user=user, otp_token=otp_token, request=request)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    security_event_record(user=user, kind=SecurityEvent.Kind.LOGIN_OK, request=request, via="api")
    account_deletion_cancel(user=user, request=request)
    return user
