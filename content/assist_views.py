"""The composer's AI actions on the draft being edited: optimise, suggest hashtags, translate, variants.

Each goes through the same generation services as the API (quota, providers, moderation), on the
card's current text rather than a saved post, and answers JSON the card shows beside the draft.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import selectors
from content.forms import STUDIO_LANGUAGES, TONE_CHOICES, platform_choices
from content.models import GenerationKind
from content.prompts import LANGUAGE_NAMES
from content.services import GeneratedText, brief_build, content_generate, content_translate
from core.api.errors import ApiError
from core.api.exceptions import error_body
from teams.permissions import Capability, request_team_context, require

ACTIONS = ("optimize", "hashtags", "translate", "variants")
VARIANTS = 3


class AssistForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    text = forms.CharField(max_length=20000)
    platform = forms.ChoiceField(choices=platform_choices)
    language = forms.ChoiceField(choices=[(c, LANGUAGE_NAMES[c]) for c in STUDIO_LANGUAGES], required=False)
    target_language = forms.ChoiceField(choices=[(c, LANGUAGE_NAMES[c]) for c in STUDIO_LANGUAGES], required=False)
    tone = forms.ChoiceField(choices=TONE_CHOICES, required=False)
    audience = forms.CharField(max_length=200, required=False)
    brand = forms.UUIDField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "translate" and not data.get("target_language"):
            self.add_error("target_language", _("Pick the language to translate into."))
        return data


def _text_body(text: GeneratedText) -> dict[str, Any]:
    return {
        "text": text.shaped.content,
        "hashtags": text.shaped.hashtags,
        "improvements": text.shaped.improvements,
        "engagement": text.engagement.score,
        "provider": text.outcome.provider_label,
    }


def _json_error(exc: ApiError) -> JsonResponse:
    body = error_body(code=exc.code, message=exc.message, details=exc.details, retryable=exc.retryable)
    return JsonResponse(body, status=exc.status_code)


@login_required
@require_POST
def composer_assist(request: HttpRequest) -> JsonResponse:
    ctx = request_team_context(request)
    form = AssistForm(request.POST)
    if not form.is_valid():
        body = error_body(code="VALIDATION_ERROR", message=_("Check the highlighted fields."), details=form.errors)
        return JsonResponse(body, status=400)
    data = form.cleaned_data
    try:
        require(ctx, Capability.CREATE_CONTENT)
        brand = selectors.brand_get(team=ctx.team, brand_id=data["brand"]) if data["brand"] else None
        common = {
            "platform": data["platform"],
            "tone": data["tone"],
            "audience": data["audience"],
            "language": data["language"] or "en",
            "brand": brand,
        }
        if data["action"] == "translate":
            result = content_translate(
                ctx=ctx,
                text=data["text"],
                platform=data["platform"],
                language=data["target_language"],
                brand=brand,
                tone=data["tone"],
                audience=data["audience"],
            )
            return JsonResponse(
                {"success": True, "action": "translate", "language": result.language, "direction": result.direction}
                | _text_body(result.first)
            )
        if data["action"] == "optimize":
            brief = brief_build(
                kind=GenerationKind.OPTIMIZATION,
                topic="",
                source_text=data["text"],
                optimization_type="engagement",
                **common,
            )
            result = content_generate(ctx=ctx, brief=brief)
            return JsonResponse({"success": True, "action": "optimize"} | _text_body(result.first))
        if data["action"] == "hashtags":
            brief = brief_build(kind=GenerationKind.HASHTAGS, topic=data["text"], **common)
            result = content_generate(ctx=ctx, brief=brief)
            return JsonResponse({"success": True, "action": "hashtags", "hashtags": result.first.shaped.hashtags})
        brief = brief_build(kind=GenerationKind.CAPTION, topic=data["text"][:4000], **common)
        result = content_generate(ctx=ctx, brief=brief, variants=VARIANTS)
        return JsonResponse({"success": True, "action": "variants", "variants": [_text_body(t) for t in result.texts]})
    except ApiError as exc:  # a brand of another team (404), the plan's quota (429), providers down (503)
        return _json_error(exc)
