"""The composer's live checks: what the card shows after each edit, without a reload.

One debounced call per edit answers with everything that could stop the post and how to fix it
(the platform's limit, media rules, the ticked accounts' connection, moderation including
near-duplicates of recent posts), the refreshed hints, engagement score and hashtag chips, and the
post card built from `content.outgoing` (the same text the connector would receive).
It lives in social because it needs the accounts and the connectors' checks, which sit above content.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import platform_rules
from content import selectors as content_selectors
from content.engagement import predict_engagement
from content.forms import platform_choices
from content.moderation_gate import moderate_text
from content.outgoing import outgoing_compose
from content.preview import preview_card, styled
from core.api.errors import ApiError, NotFoundError
from core.api.exceptions import error_body
from social import selectors
from social.models import AccountHealth, MediaAsset, SocialAccount
from social.services.checks import checks_run
from social.services.media import MAX_POST_MEDIA, post_media_set
from teams.permissions import request_team_context

MAX_TEXT = 70000


class ComposerCheckForm(forms.Form):
    platform = forms.ChoiceField(choices=lambda: [*platform_choices(), ("sandbox", "Sandbox")])
    text = forms.CharField(required=False, strip=False, max_length=MAX_TEXT)
    first_comment = forms.CharField(required=False, max_length=5000)


def _issue(code: str, message: str, fix: str, severity: str = "error", url: str = "") -> dict[str, str]:
    return {"code": code, "message": message, "fix": fix, "severity": severity, "url": url}


def _limit_issue(platform: str, text: str) -> dict[str, str] | None:
    used, limit = platform_rules.count_characters(platform, text), platform_rules.character_limit(platform)
    if used <= limit:
        return None
    label = platform_rules.rule_for(platform).label
    return _issue(
        "too_long",
        _("%(used)s of %(limit)s characters as %(label)s counts them.")
        % {"used": used, "limit": limit, "label": label},
        _("Remove %(n)s characters.") % {"n": used - limit},
    )


def _account_issues(accounts: list[SocialAccount], platform: str) -> list[dict[str, str]]:
    accounts_url = reverse("social:accounts")
    if not accounts:
        label = platform_rules.rule_for(platform).label
        return [
            _issue(
                "not_connected",
                _("No account is ticked to post this to."),
                _("Tick an account below, or connect a %(label)s account.") % {"label": label},
                severity="warning",  # a draft needs no account; publishing does (canPublish says so)
                url=accounts_url,
            )
        ]
    issues = []
    for account in accounts:
        if account.health == AccountHealth.NEEDS_RECONNECT:
            issues.append(
                _issue(
                    "needs_reconnect",
                    _("%(name)s was disconnected by the platform.") % {"name": account.account_name},
                    _("Reconnect it in Accounts."),
                    url=accounts_url,
                )
            )
        elif account.health == AccountHealth.DEGRADED:
            issues.append(
                _issue(
                    "degraded",
                    _("%(name)s had a temporary problem at its last call.") % {"name": account.account_name},
                    _("Publishing retries on its own; check it in Accounts if it persists."),
                    severity="warning",
                    url=accounts_url,
                )
            )
    return issues


def _moderation_issues(decision: Any) -> list[dict[str, str]]:
    if decision.decision == "allow":
        return []
    reasons = "; ".join(dict.fromkeys(r.message for r in decision.reasons))
    if decision.blocked:
        return [_issue("moderation_block", reasons, _("Rewrite the flagged words: a blocked text cannot be saved."))]
    return [
        _issue(
            "moderation_flag",
            reasons,
            _("A moderator must approve it before it goes out; rewording avoids the wait."),
            severity="warning",
        )
    ]


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
    platform = platform_rules.normalize_platform(form.cleaned_data["platform"])
    outgoing = outgoing_compose(body=form.cleaned_data["text"], first_comment=form.cleaned_data["first_comment"])
    text = outgoing.text
    issues = [i for i in [_limit_issue(platform, text)] if i]
    issues += _account_issues(accounts, platform)
    # With no account ticked the card's platform is checked bare, so its media rules show while writing.
    targets = {"accounts": accounts} if accounts else {"platforms": [platform]}
    for check in checks_run(text=text, media=media, first_comment=outgoing.first_comment, **targets):
        for problem in check.problems:
            if problem.code not in {"too_long"}:
                name = check.account.account_name if check.account else check.label
                issues.append(_issue(problem.code, f"{name}: {problem.message}", "", severity=problem.severity))
    decision = moderate_text(text=outgoing.moderated, team=ctx.team, user=ctx.user, platform=platform)
    issues += _moderation_issues(decision)
    hashtags = platform_rules.extract_hashtags(text)
    engagement = predict_engagement(text=text, platform=platform, hashtags=hashtags, team=ctx.team)
    card = preview_card(platform=platform, text=text)
    blocking = [i for i in issues if i["severity"] == "error" and i["code"] in {"too_long", "moderation_block"}]
    publish_blocking = [i for i in issues if i["severity"] == "error" or i["code"] == "not_connected"]
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
            "canSave": not blocking and bool(text.strip()),
            "saveReason": blocking[0]["message"] if blocking else ("" if text.strip() else _("Write something first.")),
            "canPublish": not publish_blocking and bool(text.strip()),
            "publishReason": publish_blocking[0]["message"] if publish_blocking else "",
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
