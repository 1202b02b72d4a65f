"""Writes of the analytics app: folding new metrics, exports, A/B tests, competitor posts, weekly reports."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from analytics import cache as analytics_cache
from analytics.exports import RENDERERS, export_dataset
from analytics.metrics import TimeRange, parse_time_range
from analytics.models import ABTest, ABVariant, AnalyticsExport, CompetitorPost, ExportStatus
from analytics.pdf_text import can_write
from analytics.rollups import rollups_catch_up
from core.api.errors import NotFoundError, ValidationFailed

logger = logging.getLogger(__name__)
EXPORT_SALT = "analytics.export"


def metrics_landed(*, team_ids: set[Any]) -> None:
    """New metrics for these teams: drop their cached dashboards and tell open pages, after commit."""
    for team_id in team_ids:
        analytics_cache.invalidate(team_id)
    if team_ids:
        transaction.on_commit(lambda: _broadcast(team_ids))


def _broadcast(team_ids: set[Any]) -> None:
    from teams.selectors import team_group_name

    layer = get_channel_layer()
    if layer is None:
        return
    for team_id in team_ids:
        try:
            async_to_sync(layer.group_send)(
                team_group_name(team_id),
                {"type": "team_event", "event": {"kind": "analytics.updated", "at": timezone.now().isoformat()}},
            )
        except Exception:  # a live refresh is a nicety; the data is stored and the cache dropped
            logger.warning("analytics.broadcast_failed", exc_info=True)


def metrics_fold(*, max_rows: int | None = None) -> set[Any]:
    teams = rollups_catch_up(max_rows=max_rows)
    metrics_landed(team_ids=teams)
    return teams


# ---- exports -----------------------------------------------------------------------------------
def analytics_export_request(
    *, team: Any, user: Any, export_format: str, time_range: str, platform: str | None, metrics: list[str]
) -> AnalyticsExport:
    parse_time_range(time_range)  # validates before anything is stored
    export = AnalyticsExport.objects.create(
        team=team,
        requested_by=user,
        format=export_format,
        time_range=time_range,
        platform=platform or "",
        metrics=metrics,
    )
    from analytics.tasks import build_analytics_export

    transaction.on_commit(lambda: build_analytics_export.delay(str(export.pk)))
    return export


def analytics_export_build(*, export_id: Any) -> AnalyticsExport | None:
    export = AnalyticsExport.objects.select_related("team").filter(pk=export_id).first()
    if export is None or export.status == ExportStatus.READY:
        return export
    render, extension, _ = RENDERERS[export.format]
    try:
        with translation.override(_reader_language(export.requested_by)):
            dataset = export_dataset(
                team=export.team,
                time_range=parse_time_range(export.time_range),
                platform=export.platform or None,
                metrics=list(export.metrics or []),
            )
            content = render(dataset)
    except Exception as exc:
        export.status, export.error = ExportStatus.FAILED, str(exc)[:500]
        export.save(update_fields=["status", "error", "updated_at"])
        raise
    export.file.save(
        f"analytics-{export.created_at:%Y%m%d}-{str(export.pk)[:8]}.{extension}", ContentFile(content), save=False
    )
    export.status = ExportStatus.READY
    export.save(update_fields=["file", "status", "updated_at"])
    return export


def _reader_language(user: Any) -> str:
    """The language the export is written in: its requester's preference, else the site's.

    Only a machine without the report's font (see REPORT_FONT_DIRS) writes an Arabic reader's report
    in English: one a client can read beats one in empty boxes.
    """
    preferences = getattr(user, "preferences", None) if user is not None else None
    language = getattr(preferences, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES) or not can_write(language):
        return "en"
    return language


def export_token(export: AnalyticsExport) -> str:
    return signing.dumps({"e": str(export.pk), "t": str(export.team_id)}, salt=EXPORT_SALT, compress=True)


def export_from_token(token: str) -> tuple[str, str]:
    """(export id, team id) of a download token; NotFoundError when forged or expired."""
    try:
        data = signing.loads(token, salt=EXPORT_SALT, max_age=settings.ANALYTICS_EXPORT_URL_MAX_AGE)
    except signing.BadSignature:
        raise NotFoundError("This download link is invalid or has expired.") from None
    return data["e"], data["t"]


# ---- A/B tests and competitor posts -------------------------------------------------------------
def abtest_create(
    *,
    team: Any,
    user: Any,
    name: str,
    platform: str,
    post_ids: list[Any],
    hypothesis: str = "",
    significance_level: float = 0.05,
) -> ABTest:
    from django.apps import apps

    post_model = apps.get_model("content", "ContentPost")
    if len(set(map(str, post_ids))) != len(post_ids) or len(post_ids) < 2:
        raise ValidationFailed("An A/B test needs two or more different posts.", details={"postIds": ["At least two."]})
    posts = {str(p.pk): p for p in post_model.objects.filter(team=team, pk__in=post_ids)}
    if len(posts) != len(post_ids):
        raise NotFoundError("A post of this test was not found.")
    with transaction.atomic():
        test = ABTest.objects.create(
            team=team,
            created_by=user,
            name=name,
            platform=platform,
            hypothesis=hypothesis,
            significance_level=significance_level,
        )
        ABVariant.objects.bulk_create(
            ABVariant(test=test, post=posts[str(pid)], label=chr(ord("A") + i)) for i, pid in enumerate(post_ids)
        )
    return test


def abtest_complete(*, test: ABTest) -> ABTest:
    test.status = "COMPLETED"
    test.save(update_fields=["status", "updated_at"])
    return test


def competitor_post_create(*, team: Any, **fields: Any) -> CompetitorPost:
    if not (fields.get("url") or fields.get("text")):
        raise ValidationFailed("Give the post's URL or its text.", details={"text": ["A URL or the text is required."]})
    return CompetitorPost.objects.create(team=team, **fields)


def competitor_post_delete(*, post: CompetitorPost) -> None:
    post.delete()


# ---- weekly report -------------------------------------------------------------------------------
# The preference behind Settings › Preferences › "Send me a weekly performance summary"
# (accounts.forms.NOTIFICATION_CHOICES; `emailWeeklyDigest` in PATCH /api/me/).
WEEKLY_REPORT_SETTING = "email_weekly_digest"


def weekly_reports_send(*, today: Any = None) -> int:
    """Email last week's numbers to every user who turned the weekly summary on, in their language."""
    from django.apps import apps
    from django.utils import translation
    from django.utils.translation import gettext

    from analytics.selectors import dashboard_data

    preferences_model = apps.get_model("accounts", "UserPreferences")
    membership_model = apps.get_model("teams", "Membership")
    sent = 0
    prefs = preferences_model.objects.select_related("user").filter(user__is_active=True)
    for pref in prefs.iterator():
        settings_ = pref.notification_settings if isinstance(pref.notification_settings, dict) else {}
        if not settings_.get(WEEKLY_REPORT_SETTING):
            continue
        user = pref.user
        if user.current_team_id is None:
            continue
        membership = (
            membership_model.objects.select_related("team").filter(user=user, team_id=user.current_team_id).first()
        )
        if membership is None:
            continue
        time_range: TimeRange = parse_time_range("7d", today=today)
        data = dashboard_data(team=membership.team, time_range=time_range)
        context = {"user": user, "team": membership.team, "data": data, "site_url": settings.ANALYTICS_SITE_URL}
        language = pref.language if pref.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            send_mail(
                subject=gettext("Your week on %(team)s") % {"team": membership.team.name},
                message=render_to_string("analytics/email/weekly_report.txt", context),
                html_message=render_to_string("analytics/email/weekly_report.html", context),
                from_email=None,
                recipient_list=[user.email],
            )
        sent += 1
    return sent


def rollups_refresh_for_read() -> None:
    """Fold a bounded number of waiting snapshots before a dashboard read, so it never lags the beat sweep."""
    from analytics.rollups import rollups_pending

    limit = settings.ANALYTICS_READ_CATCH_UP_ROWS
    if limit and rollups_pending():
        metrics_fold(max_rows=limit)
