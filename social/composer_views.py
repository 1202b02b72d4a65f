"""The composer's live checks: what the card shows after each edit, without a reload.

One debounced call per edit answers with everything that could stop the post and how to fix it
(`social.draft_checks`, shared with the MCP tool), the refreshed hints, engagement score and hashtag chips, and the
post card built from `content.outgoing` (the same text the connector would receive).
It lives in social because it needs the accounts and the connectors' checks, which sit above content.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import platform_rules
from content import selectors as content_selectors
from content.engagement import predict_engagement
from content.forms import platform_choices
from content.preview import preview_card, styled
from core.api.errors import ApiError, NotFoundError
from core.api.exceptions import error_body
from social import selectors
from social.draft_checks import draft_check
from social.models import MediaAsset
from social.services.media import MAX_POST_MEDIA, post_media_set
from teams.permissions import request_team_context

MAX_TEXT = 70000


class ComposerCheckForm(forms.Form):
    platform = forms.ChoiceField(choices=lambda: [*platform_choices(), ("sandbox", "Sandbox")])
    text = forms.CharField(required=False, strip=False, max_length=MAX_TEXT)
    first_comment = forms.CharField(required=False, max_length=5000)


def _media_json(asset: MediaAsset) -> dict[str, Any]:
    picture = asset.thumbnail or (asset.file if asset.kind == MediaAsset.Kind.IMAGE else None)
    return {
        "id": str(asset.pk),
        "kind": asset.kind,
        "url": picture.url if picture else "",
        "alt": asset.alt_text,
        "name": asset.original_name,
    }


@login_required
@require_POST
def composer_media_set(request: HttpRequest, post_id: str) -> JsonResponse:
    """The media the composer shows become the saved post's media, in that order (none clears them)."""
    ctx = request_team_context(request)
    try:
        post = content_selectors.post_get(ctx=ctx, post_id=post_id)
        assets = selectors.media_by_ids(team=ctx.team, media_ids=request.POST.getlist("media_ids"))
        post_media_set(ctx=ctx, post=post, assets=assets)
    except ApiError as exc:
        return JsonResponse(error_body(code=exc.code, message=exc.message, details=exc.details), status=exc.status_code)
    return JsonResponse({"success": True, "media": [_media_json(asset) for asset in assets]})


@login_required
@require_POST
def composer_checks(request: HttpRequest) -> JsonResponse:
    ctx = request_team_context(request)
    form = ComposerCheckForm(request.POST)
    if not form.is_valid():
        body = error_body(code="VALIDATION_ERROR", message=_("Check the highlighted fields."), details=form.errors)
        return JsonResponse(body, status=400)
    media_ids = request.POST.getlist("media_ids")
    if len(media_ids) > MAX_POST_MEDIA:
        message = _("A post carries at most %(n)s files.") % {"n": MAX_POST_MEDIA}
        return JsonResponse(
            error_body(code="VALIDATION_ERROR", message=message, details={"mediaIds": [message]}), status=400
        )
    try:
        accounts = selectors.accounts_by_ids(team=ctx.team, account_ids=request.POST.getlist("account_ids"))
        media = selectors.media_by_ids(team=ctx.team, media_ids=media_ids)
    except NotFoundError as exc:
        return JsonResponse(error_body(code=exc.code, message=exc.message, details=exc.details), status=404)
    result = draft_check(
        team=ctx.team,
        user=ctx.user,
        platform=form.cleaned_data["platform"],
        text=form.cleaned_data["text"],
        first_comment=form.cleaned_data["first_comment"],
        accounts=accounts,
        media=media,
    )
    platform, outgoing, text, issues = result.platform, result.outgoing, result.outgoing.text, result.issues
    decision = result.moderation
    hashtags = platform_rules.extract_hashtags(text)
    engagement = predict_engagement(text=text, platform=platform, hashtags=hashtags, team=ctx.team)
    card = preview_card(platform=platform, text=text)
    first = accounts[0] if accounts else None
    team_accounts = selectors.accounts_for_team(team=ctx.team).order_by("platform", "account_name")
    return JsonResponse(
        {
            "success": True,
            "accounts": [
                {
                    "id": str(a.pk),
                    "name": a.account_name,
                    "platform": a.platform,
                    "platformLabel": a.get_platform_display(),
                    "health": a.health,
                }
                for a in team_accounts
            ],
            "platform": platform,
            "count": platform_rules.count_characters(platform, text),
            "limit": platform_rules.character_limit(platform),
            "hashtags": hashtags,
            "engagement": {
                "score": engagement.score,
                "reasons": engagement.reasons[:3],
                "source": engagement.source,
                "sourceLabel": str(engagement.source_label),
            },
            "moderation": decision.as_dict(),
            "issues": issues,
            "canSave": result.can_save,
            "saveReason": result.save_reason,
            "canPublish": result.can_publish,
            "publishReason": result.publish_reason,
            "preview": {
                "name": first.account_name if first else ctx.team.name,
                "initial": (first.account_name if first else ctx.team.name)[:1].upper(),
                "visibleHtml": str(card.visible_html),
                "moreHtml": str(card.more_html),
                "text": card.text,
                "firstCommentHtml": str(styled(outgoing.first_comment)) if outgoing.first_comment else "",
                "media": [_media_json(asset) for asset in media],
            },
        }
    )
