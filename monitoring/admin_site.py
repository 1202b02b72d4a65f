"""The admin organised by job: one section per kind of work instead of one per Django app.

The registrations stay on `django.contrib.admin.site`; `config.urls` swaps the site's class for
`OperatorAdminSite` (or `OTPOperatorAdminSite` when staff need a second factor). Lives in
monitoring, the top of the import order, because the sections name every app's models.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from moderation.models import CaseStatus, ModerationCase

STRIPE_MIRROR = "djstripe"

# (slug, section name, app labels or "app.Model" labels), in the order the index shows them.
SECTIONS: list[tuple[str, Any, list[str]]] = [
    (
        "users-security",
        _("Users & security"),
        [
            "accounts.User",
            "auth",
            "account",
            "accounts",
            "otp_totp",
            "otp_static",
            "token_blacklist",
            "socialaccount",
            "axes",
        ],
    ),
    ("workspaces", _("Workspaces"), ["teams.Team", "teams.Membership", "teams.Invitation", "teams"]),
    ("content-publishing", _("Content & publishing"), ["content", "social", "scheduling", "analytics", "integrations"]),
    ("moderation", _("Moderation"), ["moderation.ModerationCase", "moderation"]),
    ("billing", _("Billing"), ["billing.Subscription", "billing.UsageQuota", "billing"]),
    ("stripe-mirror", _("Stripe mirror (dj-stripe)"), [STRIPE_MIRROR]),
    ("operations", _("Operations"), ["core.BackupRun", "monitoring", "core", "django_celery_beat", "sites"]),
]

# Names people read, where Django's automatic plural or a third-party app's label is not one.
MODEL_NAMES: dict[str, Any] = {
    "accounts.ApiKey": _("API keys"),
    "accounts.DataExport": _("Personal data exports (GDPR)"),
    "accounts.RecoveryCodeDevice": _("Recovery code sets"),
    "account.EmailAddress": _("E-mail addresses"),
    "auth.Group": _("Staff groups"),
    "otp_totp.TOTPDevice": _("Authenticator apps (2FA)"),
    "otp_static.StaticDevice": _("Static backup tokens (2FA)"),
    "token_blacklist.OutstandingToken": _("API refresh tokens issued"),
    "token_blacklist.BlacklistedToken": _("API refresh tokens revoked"),
    "socialaccount.SocialAccount": _("Social sign-in accounts"),
    "socialaccount.SocialApp": _("Social sign-in apps"),
    "socialaccount.SocialToken": _("Social sign-in tokens"),
    "axes.AccessAttempt": _("Sign-in lockouts"),
    "axes.AccessLog": _("Sign-in log"),
    "axes.AccessFailureLog": _("Failed sign-ins"),
    "teams.ActivityEvent": _("Activity and audit trail"),
    "content.AIProviderConfig": _("AI provider settings"),
    "content.GenerationRecord": _("AI generation log"),
    "content.TrackedLink": _("Tracked links"),
    "content.LinkClickDay": _("Link clicks per day"),
    "social.PostMedia": _("Media attached to posts"),
    "scheduling.DataExport": _("Team data exports"),
    "analytics.ABTest": _("A/B tests"),
    "analytics.ABVariant": _("A/B test variants"),
    "moderation.ContentFingerprint": _("Published-text fingerprints"),
    "moderation.ModerationAuditEvent": _("Moderation audit log"),
    "billing.StripeEvent": _("Stripe webhook events"),
    "core.Heartbeat": _("Heartbeats"),
    "monitoring.AlertEvent": _("Alert history"),
    "monitoring.HealthSample": _("Health probes"),
    "core.BackupRun": _("Backups"),
    "django_celery_beat.PeriodicTask": _("Periodic tasks"),
    "django_celery_beat.ClockedSchedule": _("Clocked schedules"),
    "django_celery_beat.CrontabSchedule": _("Crontab schedules"),
    "django_celery_beat.SolarSchedule": _("Solar schedules"),
    "django_celery_beat.IntervalSchedule": _("Interval schedules"),
}


# Django capitalises only the first letter of an automatic plural ("Api keys", "Ab tests").
ACRONYMS = {"Api": "API", "Ai": "AI", "Ab": "A/B", "Url": "URL", "Otp": "OTP", "Id": "ID", "Uuid": "UUID"}


def readable(name: str) -> str:
    return " ".join(ACRONYMS.get(word, word) for word in str(name).split(" "))


def _label(model_entry: dict[str, Any]) -> str:
    model = model_entry["model"]
    return f"{model._meta.app_label}.{model.__name__}"


def _section_of(label: str) -> str | None:
    app_label = label.split(".")[0]
    for slug, _name, members in SECTIONS:
        if label in members:
            return slug
    for slug, _name, members in SECTIONS:
        if app_label in members:
            return slug
    return None


def _rank(label: str, members: list[str]) -> tuple[int, int]:
    """Models named one by one come first, in the order named; then the rest of their app."""
    if label in members:
        return (0, members.index(label))
    return (1, members.index(label.split(".")[0]))


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


class OperatorAdminSite(AdminSite):
    site_header = _("ContentGenAI admin")
    site_title = _("ContentGenAI admin")
    index_title = _("Administration")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for entry in app["models"]:
                entry["name"] = MODEL_NAMES.get(_label(entry)) or readable(entry["name"])
        if app_label is not None:
            return apps  # one app's own page keeps Django's grouping
        return self.sections(apps)

    def sections(self, apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        grouped: dict[str, list[dict[str, Any]]] = {slug: [] for slug, _n, _m in SECTIONS}
        leftovers: list[dict[str, Any]] = []
        for app in apps:
            for entry in app["models"]:
                slug = _section_of(_label(entry))
                (grouped[slug] if slug else leftovers).append(entry)
        result = []
        for slug, name, members in SECTIONS:
            models = sorted(grouped[slug], key=lambda e: (*_rank(_label(e), members), str(e["name"])))
            if models:
                result.append(
                    {
                        "name": name,
                        "app_label": slug,
                        "app_url": models[0]["admin_url"] or "",
                        "has_module_perms": True,
                        "models": models,
                        "collapsed": slug == "stripe-mirror",
                    }
                )
        if leftovers:
            # A model registered by an app no section names yet: shown, never lost.
            result.append(
                {
                    "name": _("Other"),
                    "app_label": "other",
                    "app_url": "",
                    "has_module_perms": True,
                    "models": sorted(leftovers, key=lambda e: str(e["name"])),
                    "collapsed": False,
                }
            )
        return result

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        return super().index(request, {"operator_links": self.operator_links(), **(extra_context or {})})

    def operator_links(self) -> dict[str, Any]:
        """What the index shows above the sections: the review queue and the operations pages."""
        open_cases = ModerationCase.objects.filter(
            status__in=(CaseStatus.OPEN, CaseStatus.CLAIMED, CaseStatus.APPEALED)
        ).count()
        return {
            "open_cases": open_cases,
            "queue_url": _url("moderation:queue"),
            "status_url": _url("monitoring:status"),
            "usage_url": _url("monitoring:usage"),
            "backups_url": _url("admin:core_backuprun_changelist"),
            "audit_url": _url("admin:moderation_moderationauditevent_changelist"),
            "security_url": _url("admin:accounts_securityevent_changelist"),
            "activity_url": _url("admin:teams_activityevent_changelist"),
        }


class OTPOperatorAdminSite(OTPAdminSite, OperatorAdminSite):
    """The same site, requiring a verified django-otp device (production's default)."""
