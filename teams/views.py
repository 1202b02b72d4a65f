"""Notification pages: the bell's htmx panel, mark-all-read, the full list and delivery preferences.

Every query goes through teams.selectors, which only ever returns the requesting user's rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from teams.forms import NotificationPreferencesForm
from teams.models import Notification
from teams.notification_preferences import ALWAYS_LIVE, notification_modes, notification_modes_set
from teams.selectors import notification_get, notifications_for_user
from teams.services import notification_mark_read, notifications_mark_all_read

PANEL_SIZE = 10
PAGE_SIZE = 25


def _render_panel(request: HttpRequest) -> HttpResponse:
    notifications = notifications_for_user(user=request.user)[:PANEL_SIZE]  # type: ignore[arg-type]
    return render(request, "teams/partials/notification_panel.html", {"notifications": notifications})


def _safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@login_required
@require_GET
def notification_panel(request: HttpRequest) -> HttpResponse:
    """The bell dropdown's content: the latest notifications (htmx partial)."""
    return _render_panel(request)


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark all the user's notifications read. htmx gets the refreshed panel; a plain form a redirect."""
    notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    if getattr(request, "htmx", False):
        return _render_panel(request)
    messages.success(request, _("All notifications marked as read."))
    return redirect(_safe_next(request, request.POST.get("next"), reverse("teams:notifications")))


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Mark one notification read and go to what it is about (a local URL only)."""
    notification = notification_get(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    notification_mark_read(notification=notification)
    return redirect(_safe_next(request, notification.url, reverse("teams:notifications")))


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Every notification of the user, newest first, paginated; filter unread and by event."""
    rows = notifications_for_user(user=request.user)  # type: ignore[arg-type]
    unread_only = request.GET.get("unread") == "1"
    event = request.GET.get("event", "")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if event in Notification.Event.values:
        rows = rows.filter(event=event)
    else:
        event = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("unread", "1" if unread_only else ""), ("event", event)) if v})
    return render(
        request,
        "teams/notifications.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "event": event,
            "events": Notification.Event.choices,
            "filter_query": query,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Live, email digest or off, per event type."""
    user = request.user
    form = NotificationPreferencesForm(
        request.POST or None,
        modes=notification_modes(user=user),  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        notification_modes_set(user=user, modes=dict(form.cleaned_data))  # type: ignore[arg-type]
        messages.success(request, _("Notification preferences saved."))
        return redirect("teams:notification_preferences")
    return render(
        request,
        "teams/notification_preferences.html",
        {"form": form, "always_live": [e.label for e in ALWAYS_LIVE]},
        status=400 if request.method == "POST" else 200,
    )
