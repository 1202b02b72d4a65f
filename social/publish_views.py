"""Publishing helpers for pages: the per-account checks, media upload and a delivery's retry.

The checks partial (`social:checks`) is also what the writing studio calls while a post is typed.
The publish and bulk pages themselves are scheduling's (`scheduling/publish_views.py`): publishing
now or at a time is one scheduling action.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import selectors as content_selectors
from core.api.errors import ApiError
from social import selectors
from social.models import PublishResult, SocialAccount
from social.services.checks import checks_run
from social.services.media import media_upload
from social.services.publishing import publish_result_retry
from social.views import _ctx
from teams.permissions import Capability

HTMX = "HTTP_HX_REQUEST"


@login_required
@require_POST
def checks_partial(request: HttpRequest) -> HttpResponse:
    """Live pre-publish checks for text being written: per ticked account, or per named platform."""
    ctx = _ctx(request)
    accounts: list[SocialAccount] = selectors.accounts_by_ids(
        team=ctx.team, account_ids=request.POST.getlist("account_ids")
    )
    media = selectors.media_by_ids(team=ctx.team, media_ids=request.POST.getlist("media_ids"))
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
    post = content_selectors.post_get(ctx=ctx, post_id=post_id) if post_id else None
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
    # Back to the page that listed the result (the publish page or the post page).
    back = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("content:post_detail", result.post_id)
