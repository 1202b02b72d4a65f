"""Publishing pages: pick a post, see the checks per account, publish now or schedule, see results.

The checks partial (`social:checks`) is also what the writing studio calls while a post is typed.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content import selectors as content_selectors
from content.outgoing import outgoing_for
from core.api.errors import ApiError, ContentBlocked
from social import selectors
from social.models import PublishResult, SocialAccount
from social.services.checks import checks_run
from social.services.media import media_upload
from social.services.publishing import post_first_comment_set, post_publish, posts_publish_bulk, publish_result_retry
from social.views import _ctx
from teams.permissions import Capability

HTMX = "HTTP_HX_REQUEST"


def _as_404(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return call(*args, **kwargs)
    except ApiError as exc:
        if exc.status_code == 404:
            raise Http404(exc.message) from exc
        raise


@login_required
@require_GET
def publish_index(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    posts = content_selectors.posts_recent(ctx=ctx)
    return render(request, "social/publish_index.html", {"posts": posts, "nav_section": "posts"})


def _publish_context(request: HttpRequest, post_id: str) -> dict[str, object]:
    ctx = _ctx(request)
    post = _as_404(content_selectors.post_get, ctx=ctx, post_id=post_id)
    accounts = list(selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name"))
    outgoing = outgoing_for(post)
    return {
        "post": post,
        "text": outgoing.text,
        "accounts": accounts,
        "first_comment": outgoing.first_comment,
        "checks": checks_run(
            text=outgoing.text,
            accounts=accounts,
            media=[link.asset for link in post.media_links.select_related("asset")],
            first_comment=outgoing.first_comment,
        ),
        "results": list(selectors.results_for_post(post=post)),
        "media": [link.asset for link in post.media_links.select_related("asset")],
        "can_publish": ctx.can(Capability.PUBLISH),
        "nav_section": "posts",
    }


@login_required
@require_GET
def publish_page(request: HttpRequest, post_id: str) -> HttpResponse:
    return render(request, "social/publish.html", _publish_context(request, post_id))


def _publish_at(request: HttpRequest) -> tuple[datetime | None, str]:
    tz_name = request.POST.get("timezone") or "UTC"
    raw = request.POST.get("publish_at", "").strip()
    if request.POST.get("mode") != "schedule" or not raw:
        return None, tz_name
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone, tz_name = ZoneInfo("UTC"), "UTC"
    parsed = parse_datetime(raw)
    if parsed is None:
        raise ApiError(_("Pick a date and time to schedule."))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)), tz_name


@login_required
@require_POST
def publish_submit(request: HttpRequest, post_id: str) -> HttpResponse:
    """Publish now or schedule, to the ticked accounts; htmx gets the results panel."""
    ctx = _ctx(request, Capability.PUBLISH)
    post = _as_404(content_selectors.post_get, ctx=ctx, post_id=post_id)
    error = page_error = ""
    blocked: dict[str, object] | None = None
    try:
        accounts = _as_404(selectors.accounts_by_ids, team=ctx.team, account_ids=request.POST.getlist("account_ids"))
        if not accounts:
            raise ApiError(_("Tick at least one account."))
        publish_at, tz_name = _publish_at(request)
        if "first_comment" in request.POST:
            post_first_comment_set(post=post, text=request.POST["first_comment"][:5000])
        outcome = post_publish(post=post, accounts=accounts, publish_at=publish_at, tz=tz_name)
    except ContentBlocked as exc:
        # Moderation refused it: the author sees why, and the review case to follow or appeal.
        error, page_error = exc.message, exc.user_message()
        details = exc.details if isinstance(exc.details, dict) else {}
        blocked = {
            "decision": details.get("decision", "block"),
            "reasons": exc.reasons,
            "case_id": details.get("case_id"),
        }
    except ApiError as exc:
        error = exc.message
    else:
        if outcome.scheduled:
            messages.success(request, _("Scheduled for %(n)s account(s).") % {"n": len(outcome.scheduled)})
    if request.META.get(HTMX):
        post.refresh_from_db()
        return render(
            request,
            "social/partials/results.html",
            {"post": post, "results": list(selectors.results_for_post(post=post)), "error": error, "blocked": blocked},
        )
    if error:
        messages.error(request, page_error or error)
    return redirect("social:publish", post_id=post.pk)


@login_required
@require_POST
def checks_partial(request: HttpRequest) -> HttpResponse:
    """Live pre-publish checks for text being written: per ticked account, or per named platform."""
    ctx = _ctx(request)
    try:
        accounts: list[SocialAccount] = selectors.accounts_by_ids(
            team=ctx.team, account_ids=request.POST.getlist("account_ids")
        )
        media = selectors.media_by_ids(team=ctx.team, media_ids=request.POST.getlist("media_ids"))
    except ApiError as exc:
        raise Http404(exc.message) from exc
    platforms = [p for p in request.POST.getlist("platforms") if p]
    checks = checks_run(
        text=request.POST.get("text", ""),
        accounts=accounts,
        platforms=platforms,
        media=media,
        first_comment=request.POST.get("first_comment", ""),
    )
    return render(request, "social/partials/checks.html", {"checks": checks})


@login_required
@require_POST
def media_upload_view(request: HttpRequest) -> HttpResponse:
    """The upload widget: one file in, a media chip (with a hidden media_ids input) out."""
    ctx = _ctx(request, Capability.CREATE_CONTENT)
    post_id = request.POST.get("post_id")
    post = _as_404(content_selectors.post_get, ctx=ctx, post_id=post_id) if post_id else None
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApiError(_("Choose a file to upload."))
        asset = media_upload(
            team=ctx.team, user=ctx.user, upload=upload, alt_text=request.POST.get("alt_text", ""), post=post
        )
    except ApiError as exc:
        return render(request, "social/partials/media_item.html", {"error": exc.message}, status=400)
    return render(request, "social/partials/media_item.html", {"asset": asset})


@login_required
@require_POST
def result_retry_view(request: HttpRequest, result_id: str) -> HttpResponse:
    ctx = _ctx(request, Capability.PUBLISH)
    result = PublishResult.objects.filter(post__team=ctx.team, pk=result_id).select_related("post").first()
    if result is None:
        raise Http404("No such result.")
    publish_result_retry(result=result)
    return redirect("social:publish", post_id=result.post_id)


def _bulk_context(request: HttpRequest, post_ids: list[str]) -> dict[str, object]:
    ctx = _ctx(request, Capability.PUBLISH)
    if not post_ids:
        raise Http404("No posts were selected.")
    posts = _as_404(content_selectors.posts_by_ids, ctx=ctx, post_ids=post_ids)
    return {
        "posts": posts,
        "accounts": list(selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name")),
        "nav_section": "posts",
    }


@login_required
@require_http_methods(["GET", "POST"])
def bulk_publish(request: HttpRequest) -> HttpResponse:
    """The posts library's bulk action: the selected posts to the ticked accounts, now or at a time."""
    if request.method == "GET":
        return render(request, "social/bulk.html", _bulk_context(request, request.GET.getlist("post_ids")))
    context = _bulk_context(request, request.POST.getlist("post_ids"))
    ctx = _ctx(request, Capability.PUBLISH)
    try:
        accounts = _as_404(selectors.accounts_by_ids, team=ctx.team, account_ids=request.POST.getlist("account_ids"))
        if not accounts:
            raise ApiError(_("Tick at least one account."))
        publish_at, tz_name = _publish_at(request)
        outcome = posts_publish_bulk(
            posts=context["posts"],  # type: ignore[arg-type]
            accounts=accounts,
            publish_at=publish_at,
            tz=tz_name,
        )
    except ContentBlocked as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        context.update(
            error=exc.message,
            blocked={
                "decision": details.get("decision", "block"),
                "reasons": exc.reasons,
                "case_id": details.get("case_id"),
            },
        )
        return render(request, "social/bulk.html", context, status=422)
    except ApiError as exc:
        problems = (exc.details or {}).get("problems") if isinstance(exc.details, dict) else None
        context.update(error=exc.message if not problems else _("Fix these before scheduling:"), problems=problems)
        return render(request, "social/bulk.html", context, status=exc.status_code)
    context.update(results=outcome.results, scheduled=outcome.scheduled, done=True)
    return render(request, "social/bulk.html", context)
