"""Dashboard pages: Integrations → Webhooks and Feeds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.api.errors import ApiError
from core.messages import error_message
from integrations import selectors
from integrations.feeds import feed_create, feed_delete, feed_fetch_request, feed_update
from integrations.forms import EVENT_LABELS, FeedForm, WebhookForm
from integrations.models import WebhookEndpoint
from integrations.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_update,
    webhook_redeliver,
    webhook_secret_rotate,
    webhook_test_send,
)
from teams.permissions import Capability, TeamContext, request_team_context, require

LIST_SIZE = 100


def _form_error(request: HttpRequest, form: Any, exc: ApiError) -> None:
    """A field error next to the field it names; anything else as a toast."""
    details = exc.details if isinstance(exc.details, dict) else {}
    fields = {"url": "url", "events": "events", "brandId": "brand", "queueAccountId": "queue_account"}
    placed = False
    for key, messages_ in details.items():
        if fields.get(key) in form.fields:
            form.add_error(fields[key], messages_[0] if isinstance(messages_, list) else str(messages_))
            placed = True
    if not placed:
        error_message(request, exc)


# Webhooks -------------------------------------------------------------------------------------


def _webhooks_context(ctx: TeamContext, form: WebhookForm) -> dict[str, Any]:
    return {
        "endpoints": list(selectors.webhook_endpoints(team=ctx.team).order_by("-created_at")[:LIST_SIZE]),
        "form": form,
        "event_labels": EVENT_LABELS,
        "nav_section": "integrations",
    }


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    require(ctx, Capability.MANAGE_ACCOUNTS)
    form = WebhookForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                endpoint, secret = webhook_endpoint_create(ctx=ctx, **form.cleaned_data)
            except ApiError as exc:
                _form_error(request, form, exc)
            else:
                messages.success(request, _("Webhook added. Copy its signing secret now: it is shown only once."))
                return _webhook_page(request, ctx, endpoint, secret=secret)
        return render(request, "integrations/webhooks.html", _webhooks_context(ctx, form), status=400)
    return render(request, "integrations/webhooks.html", _webhooks_context(ctx, form))


def _webhook_page(
    request: HttpRequest,
    ctx: TeamContext,
    endpoint: WebhookEndpoint,
    *,
    secret: str = "",
    form: WebhookForm | None = None,
) -> HttpResponse:
    form = form or WebhookForm(
        initial={"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    )
    context = {
        "endpoint": endpoint,
        "deliveries": selectors.webhook_deliveries(endpoint=endpoint),
        "form": form,
        "secret": secret,
        "event_labels": EVENT_LABELS,
        "nav_section": "integrations",
    }
    return render(request, "integrations/webhook_detail.html", context, status=400 if form.errors else 200)


def _endpoint_for(request: HttpRequest, endpoint_id: str) -> tuple[TeamContext, WebhookEndpoint]:
    ctx = request_team_context(request)
    endpoint = selectors.webhook_endpoint_get(team=ctx.team, endpoint_id=endpoint_id)
    require(ctx, Capability.MANAGE_ACCOUNTS)
    return ctx, endpoint


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    ctx, endpoint = _endpoint_for(request, endpoint_id)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook_endpoint_update(ctx=ctx, endpoint=endpoint, **form.cleaned_data)
            except ApiError as exc:
                _form_error(request, form, exc)
            else:
                messages.success(request, _("Webhook saved."))
                return redirect("integrations:webhook", endpoint_id=endpoint.pk)
        endpoint.refresh_from_db()
        return _webhook_page(request, ctx, endpoint, form=form)
    return _webhook_page(request, ctx, endpoint)


@login_required
@require_POST
def webhook_toggle(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    ctx, endpoint = _endpoint_for(request, endpoint_id)
    webhook_endpoint_update(ctx=ctx, endpoint=endpoint, is_active=not endpoint.is_active)
    messages.success(request, _("Webhook enabled.") if endpoint.is_active else _("Webhook disabled."))
    return redirect("integrations:webhook", endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_rotate(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    ctx, endpoint = _endpoint_for(request, endpoint_id)
    secret = webhook_secret_rotate(ctx=ctx, endpoint=endpoint)
    messages.success(request, _("New signing secret made. Copy it now: it is shown only once."))
    return _webhook_page(request, ctx, endpoint, secret=secret)


@login_required
@require_POST
def webhook_test(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    ctx, endpoint = _endpoint_for(request, endpoint_id)
    webhook_test_send(ctx=ctx, endpoint=endpoint)
    messages.success(request, _("Test event sent. Its result is at the top of the delivery log."))
    return redirect("integrations:webhook", endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    ctx, endpoint = _endpoint_for(request, endpoint_id)
    webhook_endpoint_delete(ctx=ctx, endpoint=endpoint)
    messages.success(request, _("Webhook removed."))
    return redirect("integrations:webhooks")


@login_required
@require_POST
def webhook_redeliver_view(request: HttpRequest, webhook_delivery_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    delivery = selectors.webhook_delivery_get(team=ctx.team, delivery_id=webhook_delivery_id)
    webhook_redeliver(ctx=ctx, delivery=delivery)
    messages.success(request, _("Sent again. The new attempt is in the delivery log."))
    return redirect("integrations:webhook", endpoint_id=delivery.endpoint_id)


# Feeds ----------------------------------------------------------------------------------------


def _feed_options(form: FeedForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "url"}


@login_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    form = FeedForm(request.POST or None, team=ctx.team)
    if request.method == "POST":
        if form.is_valid():
            try:
                feed = feed_create(ctx=ctx, url=form.cleaned_data["url"], **_feed_options(form))
            except ApiError as exc:
                _form_error(request, form, exc)
            else:
                messages.success(request, _("Feed added. Its new items become drafts."))
                return redirect("integrations:feed", feed_id=feed.pk)
        status = 400
    else:
        status = 200
    context = {
        "feeds": list(selectors.feeds(team=ctx.team).order_by("-created_at")[:LIST_SIZE]),
        "form": form,
        "can_write": ctx.can(Capability.CREATE_CONTENT),
        "nav_section": "integrations",
    }
    return render(request, "integrations/feeds.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def feed_detail(request: HttpRequest, feed_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    feed = selectors.feed_get(team=ctx.team, feed_id=feed_id)
    initial = {
        "url": feed.url,
        "title": feed.title,
        "rewrite_with_ai": feed.rewrite_with_ai,
        "brand": feed.brand_id,
        "platform": feed.platform,
        "queue_account": feed.queue_account_id,
    }
    form = FeedForm(request.POST or None, team=ctx.team, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                feed_update(ctx=ctx, feed=feed, changes=_feed_options(form))
            except ApiError as exc:
                _form_error(request, form, exc)
            else:
                messages.success(request, _("Feed saved."))
                return redirect("integrations:feed", feed_id=feed.pk)
        feed.refresh_from_db()
    context = {
        "feed": feed,
        "items": selectors.feed_items(feed=feed),
        "form": form,
        "can_write": ctx.can(Capability.CREATE_CONTENT),
        "nav_section": "integrations",
    }
    return render(request, "integrations/feed_detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def feed_fetch_now(request: HttpRequest, feed_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    feed = selectors.feed_get(team=ctx.team, feed_id=feed_id)
    require(ctx, Capability.CREATE_CONTENT)
    feed_fetch_request(feed=feed)
    messages.success(request, _("Fetching the feed now. New items appear below in a moment."))
    return redirect("integrations:feed", feed_id=feed.pk)


@login_required
@require_POST
def feed_toggle(request: HttpRequest, feed_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    feed = selectors.feed_get(team=ctx.team, feed_id=feed_id)
    feed_update(ctx=ctx, feed=feed, changes={"is_active": not feed.is_active})
    messages.success(request, _("Feed resumed.") if feed.is_active else _("Feed paused."))
    return redirect("integrations:feed", feed_id=feed.pk)


@login_required
@require_POST
def feed_remove(request: HttpRequest, feed_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    feed_delete(ctx=ctx, feed=selectors.feed_get(team=ctx.team, feed_id=feed_id))
    messages.success(request, _("Feed removed. Drafts made from it stay."))
    return redirect("integrations:feeds")
