"""The publish and bulk pages: pick a post (or several), see the checks per account, publish now or at a time.

They live in scheduling because publishing at a time is scheduling's action: both forms end in
`post_schedule` / `posts_schedule`, the path the API, the calendar and the post page take, so a
past time or one inside a DST gap is refused here exactly as there. The checks partial, the media
upload and a delivery's retry stay with social (`social/publish_views.py`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content import selectors as content_selectors
from content.outgoing import outgoing_for
from core.api.errors import ApiError, ContentBlocked, ValidationFailed
from scheduling.services import post_schedule, posts_schedule
from social import selectors
from social.services.checks import checks_run
from social.services.publishing import post_first_comment_set
from teams.permissions import Capability, TeamContext, request_team_context, require

HTMX = "HTTP_HX_REQUEST"


def _ctx(request: HttpRequest, capability: Capability | None = None) -> TeamContext:
    ctx = request_team_context(request)
    if capability is not None:
        require(ctx, capability)  # the error middleware renders the 403 page
    return ctx


@login_required
@require_GET
def publish_index(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    posts = content_selectors.posts_recent(ctx=ctx)
    return render(request, "scheduling/publish_index.html", {"posts": posts, "nav_section": "posts"})


def _publish_context(request: HttpRequest, post_id: object) -> dict[str, object]:
    ctx = _ctx(request)
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    accounts = list(selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name"))
    outgoing = outgoing_for(post)
    media = [link.asset for link in post.media_links.select_related("asset")]
    return {
        "post": post,
        "text": outgoing.text,
        "accounts": accounts,
        "first_comment": outgoing.first_comment,
        "checks": checks_run(text=outgoing.text, accounts=accounts, media=media, first_comment=outgoing.first_comment),
        "results": list(selectors.results_for_post(post=post)),
        "media": media,
        "can_publish": ctx.can(Capability.PUBLISH),
        "nav_section": "posts",
    }


@login_required
@require_GET
def publish_page(request: HttpRequest, post_id: object) -> HttpResponse:
    return render(request, "scheduling/publish.html", _publish_context(request, post_id))


def _publish_at(request: HttpRequest) -> tuple[datetime | None, str]:
    """The form's "now" or "at": a wall-clock time in the browser's zone, converted by the service."""
    tz_name = request.POST.get("timezone") or "UTC"
    if request.POST.get("mode") != "schedule":
        return None, tz_name
    raw = request.POST.get("publish_at", "").strip()
    try:
        parsed = parse_datetime(raw) if raw else None
    except ValueError:  # well formed but not a date (a 30 February)
        parsed = None
    if parsed is None:
        raise ValidationFailed(_("Pick a date and time to schedule."), details={"publishAt": [_("Required.")]})
    return parsed, tz_name


def _blocked(exc: ContentBlocked) -> dict[str, object]:
    details = exc.details if isinstance(exc.details, dict) else {}
    return {"decision": details.get("decision", "block"), "reasons": exc.reasons, "case_id": details.get("case_id")}


def _ticked_accounts(ctx: TeamContext, request: HttpRequest) -> list:  # type: ignore[type-arg]
    accounts = selectors.accounts_by_ids(team=ctx.team, account_ids=request.POST.getlist("account_ids"))
    if not accounts:
        raise ValidationFailed(_("Tick at least one account."), details={"accountIds": [_("No account.")]})
    return accounts


@login_required
@require_POST
def publish_submit(request: HttpRequest, post_id: object) -> HttpResponse:
    """Publish now or schedule, to the ticked accounts; htmx gets the results panel."""
    ctx = _ctx(request, Capability.PUBLISH)
    post = content_selectors.post_get(ctx=ctx, post_id=post_id)
    error = page_error = ""
    blocked: dict[str, object] | None = None
    try:
        accounts = _ticked_accounts(ctx, request)
        publish_at, tz_name = _publish_at(request)
        if "first_comment" in request.POST:
            post_first_comment_set(post=post, text=request.POST["first_comment"][:5000])
        outcome = post_schedule(post=post, accounts=accounts, at=publish_at, tz=tz_name, actor=ctx)
    except ContentBlocked as exc:
        # Moderation refused it: the author sees why, and the review case to follow or appeal.
        error, page_error, blocked = exc.message, exc.user_message(), _blocked(exc)
    except ApiError as exc:
        if exc.status_code == 404:
            raise
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
    return redirect("scheduling:publish", post_id=post.pk)


def _bulk_context(request: HttpRequest, ctx: TeamContext, post_ids: list[str]) -> dict[str, object]:
    if not post_ids:
        raise Http404("No posts were selected.")
    return {
        "posts": content_selectors.posts_by_ids(ctx=ctx, post_ids=post_ids),
        "accounts": list(selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name")),
        "nav_section": "posts",
    }


@login_required
@require_http_methods(["GET", "POST"])
def bulk_publish(request: HttpRequest) -> HttpResponse:
    """The posts library's bulk action: the selected posts to the ticked accounts, now or at a time."""
    ctx = _ctx(request, Capability.PUBLISH)
    if request.method == "GET":
        return render(request, "scheduling/bulk.html", _bulk_context(request, ctx, request.GET.getlist("post_ids")))
    context = _bulk_context(request, ctx, request.POST.getlist("post_ids"))
    try:
        accounts = _ticked_accounts(ctx, request)
        publish_at, tz_name = _publish_at(request)
        outcome = posts_schedule(
            posts=context["posts"],  # type: ignore[arg-type]
            accounts=accounts,
            at=publish_at,
            tz=tz_name,
            actor=ctx,
        )
    except ContentBlocked as exc:
        context.update(error=exc.message, blocked=_blocked(exc))
        return render(request, "scheduling/bulk.html", context, status=422)
    except ApiError as exc:
        if exc.status_code == 404:
            raise
        problems = (exc.details or {}).get("problems") if isinstance(exc.details, dict) else None
        context.update(error=exc.message if not problems else _("Fix these before scheduling:"), problems=problems)
        return render(request, "scheduling/bulk.html", context, status=exc.status_code)
    context.update(results=outcome.results, scheduled=outcome.scheduled, done=True)
    return render(request, "scheduling/bulk.html", context)
