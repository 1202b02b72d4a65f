"""Tracked links: the public redirect `/l/<code>`, and the post page's "Track links" panel and toggle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from content import selectors
from content.models import ContentPost
from content.tracked_links import CAMPAIGN_MAX, link_click_record, tracked_links_set
from core.api.errors import ApiError
from teams.permissions import Capability, TeamContext, request_team_context


class TrackLinksForm(forms.Form):
    enabled = forms.BooleanField(required=False, label=gettext_lazy("Track links"))
    campaign = forms.CharField(
        required=False,
        max_length=CAMPAIGN_MAX,
        label=gettext_lazy("Campaign"),
        help_text=gettext_lazy("Sent as utm_campaign; utm_source is the platform and utm_medium is social."),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": gettext_lazy("e.g. spring-launch")}),
    )


@require_safe
def link_redirect(request: HttpRequest, code: str) -> HttpResponse:
    """302 to the link's destination. A GET counts one click (a HEAD, as link checkers send, does not)."""
    if request.method == "HEAD":
        destination = selectors.tracked_link_destination(code=code)
    else:
        destination = link_click_record(
            code=code,
            referrer=request.headers.get("Referer", ""),
            country=request.META.get(settings.LINK_CLICK_COUNTRY_HEADER, ""),
        )
    if destination is None:
        raise Http404("No such link.")
    response = HttpResponseRedirect(destination)
    response["Cache-Control"] = "no-store"  # each click reaches us, so each is counted
    response["X-Robots-Tag"] = "noindex"
    return response


def tracked_links_panel(request: HttpRequest, ctx: TeamContext, post: ContentPost) -> str:
    """The post page's panel: the toggle with its campaign, the short links and their clicks."""
    if ctx.is_client:
        return ""
    tracking = (post.metadata or {}).get("link_tracking") or {}
    context: dict[str, Any] = {
        "post": post,
        "form": TrackLinksForm(
            initial={"enabled": bool(tracking.get("enabled")), "campaign": tracking.get("campaign", "")}
        ),
        "enabled": bool(tracking.get("enabled")),
        "clicks": selectors.post_link_clicks(post=post),
        "can_edit": ctx.can(Capability.CREATE_CONTENT),
    }
    return render_to_string("content/partials/tracked_links.html", context, request=request)


@login_required
@require_POST
def tracked_links_toggle(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = selectors.post_get(ctx=ctx, post_id=post_id)
    back = redirect(reverse("content:post_detail", args=[post.pk]) + "#tracked-links")
    form = TrackLinksForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the campaign: at most 100 characters."))
        return back
    try:
        tracked_links_set(
            ctx=ctx, post=post, enabled=form.cleaned_data["enabled"], campaign=form.cleaned_data["campaign"]
        )
    except ApiError as exc:
        messages.error(request, exc.user_message())
        return back
    if form.cleaned_data["enabled"]:
        messages.success(request, _("Links in this post are now tracked."))
    else:
        messages.success(request, _("Link tracking is off for this post."))
    return back
