from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import hex_validator, random_hex

from core.fields import EncryptedTextField
from core.models import TimeStampedModel, UUIDModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("platform_role", User.PlatformRole.ADMIN)
        return self._create_user(email, password, **extra)


class User(UUIDModel, AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # django-otp devices
    """The spec's User. Email is the login; the password hash is Django's `password` column."""

    class PlatformRole(models.TextChoices):
        USER = "user", _("User")
        MODERATOR = "moderator", _("Moderator")
        ADMIN = "admin", _("Admin")

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    email_verified = models.BooleanField(default=False)
    two_factor_enabled = models.BooleanField(default=False)
    platform_role = models.CharField(max_length=20, choices=PlatformRole.choices, default=PlatformRole.USER)
    # The workspace the dashboard and API act on when no X-Team-ID is given.
    current_team = models.ForeignKey("teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def created_at(self) -> Any:
        return self.date_joined

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email.split("@")[0]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One transaction around the row and its post_save work, so a new user and their
        # personal team (created by the teams app's receiver) exist together or not at all.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)


class UserPreferences(models.Model):
    """The spec's UserPreferences, one row per user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="preferences")
    default_platform = models.CharField(max_length=20, default="linkedin")
    default_tone = models.CharField(max_length=50, default="professional")
    default_audience = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=10, default="en")
    timezone = models.CharField(max_length=64, default="UTC")
    notification_settings = models.JSONField(default=dict, blank=True)
    brand_settings = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "user preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


# --- Security ---------------------------------------------------------------------------------
# Sessions, security events, hashed recovery codes, data exports and account deletion (issue 3b).


class SecurityEvent(UUIDModel):
    """One line of a user's security audit trail; user is null for failures on unknown emails."""

    class Kind(models.TextChoices):
        LOGIN_OK = "login_ok", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
        TWO_FACTOR_ENABLED = "2fa_enabled", _("Two-factor sign-in turned on")
        TWO_FACTOR_DISABLED = "2fa_disabled", _("Two-factor sign-in turned off")
        TWO_FACTOR_FAILED = "2fa_failed", _("Wrong two-factor code")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("New recovery codes")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGED = "email_changed", _("Email address changed")
        EMAIL_VERIFIED = "email_verified", _("Email address verified")
        API_KEY_CREATED = "api_key_created", _("API key created")
        API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
        SESSION_REVOKED = "session_revoked", _("Session signed out remotely")
        DATA_EXPORT_REQUESTED = "data_export_requested", _("Data export requested")
        DATA_EXPORT_DOWNLOADED = "data_export_downloaded", _("Data export downloaded")
        DELETION_REQUESTED = "deletion_requested", _("Account deletion requested")
        DELETION_CANCELLED = "deletion_cancelled", _("Account deletion cancelled")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        INTRUSION_SUSPECTED = "intrusion_suspected", _("Repeated failed sign-ins")

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events")
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "ip", "created_at"], name="secevent_kind_ip"),
            models.Index(fields=["user", "kind", "created_at"], name="secevent_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id or '-'} {self.created_at:%Y-%m-%d %H:%M}"


class UserSession(UUIDModel):
    """A browser session the user can see and revoke; the session store still owns the session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session of {self.user_id} from {self.ip or '?'}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """django-otp device holding ten one-time recovery codes; verification lives in accounts.otp."""

    class Meta(Device.Meta):
        verbose_name = "recovery code device"

    def verify_token(self, token: Any) -> bool:
        from accounts.otp import recovery_code_consume

        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        if recovery_code_consume(device=self, code=str(token)):
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return 1


def _totp_default_key() -> str:
    return random_hex(20)


def _totp_key_validator(value: str) -> None:
    hex_validator()(value)


class SealedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """django-otp's TOTP device with its seed encrypted at rest (the key ring of the social tokens).

    The stock `otp_totp.TOTPDevice` keeps the seed as hex in a varchar, so a database dump is enough
    to mint codes. The fields and the verification are the stock ones; only `key` is sealed.
    """

    key = EncryptedTextField(default=_totp_default_key, validators=[_totp_key_validator])
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "TOTP device"

    # The stock device's behaviour, unchanged: TOTP check with drift and replay guard, otpauth:// URL.
    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings


class RecoveryCode(UUIDModel):
    """A one-time 2FA recovery code, kept only as a salted hash (django-otp's static device stores plaintext)."""

    device = models.ForeignKey("accounts.RecoveryCodeDevice", on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code of device {self.device_id}"


class DataExport(UUIDModel):
    """A "download my data" ZIP: built by a task, kept in default storage, fetched by a signed link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export of {self.user_id} ({self.status})"


class AccountDeletion(models.Model):
    """A pending account deletion: signing in before `scheduled_for` cancels it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="pending_deletion")
    requested_at = models.DateTimeField(default=timezone.now)
    scheduled_for = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Deletion of {self.user_id} on {self.scheduled_for:%Y-%m-%d}"


# --- API access ---
class ApiKey(TimeStampedModel):
    """A personal API key. Only the prefix is readable; the secret is kept as a SHA-256 digest.

    The full key (`<prefix>_<secret>`) is shown once, when it is created.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apikey_user_revoked")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class RevokedTokenFamily(models.Model):
    """An API login (a refresh-token family) that was ended: logout or a replayed refresh token.

    The database is the record; the cache only spares a query per request. After a cache flush or
    a Redis outage the family stays revoked, so its access tokens keep failing until they expire.
    """

    family = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(default=timezone.now)
    # No token of the family is valid after this; the row can be deleted from then on.
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"family {self.family[:8]}… revoked {self.revoked_at:%Y-%m-%d %H:%M}"
