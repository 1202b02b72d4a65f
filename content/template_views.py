"""The templates library: the team's templates (create, edit, versions with restore, use in the composer)
and the gallery other teams publish to (copy into this workspace)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from content import selectors
from content.forms import TONE_CHOICES, platform_choices
from content.models import ContentTemplate
from content.template_services import template_copy, template_create, template_delete, template_restore, template_update
from core.api.errors import ApiError
from core.messages import error_message
from teams.permissions import Capability, TeamContext, request_team_context

LIST_SIZE = 100


class TemplateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    body = forms.CharField(
        label=gettext_lazy("Template"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Placeholders in braces, e.g. {product} or {date}, are filled in by the writer."),
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"), required=False, choices=lambda: [("", _("Any platform")), *platform_choices()]
    )
    tone = forms.ChoiceField(label=gettext_lazy("Tone"), required=False, choices=[("", "—"), *TONE_CHOICES])
    is_public = forms.BooleanField(label=gettext_lazy("List it in the public gallery"), required=False)


def _initial(template: ContentTemplate) -> dict[str, Any]:
    return {name: getattr(template, name) for name in ("name", "body", "platform", "tone", "is_public")}


def _list_context(ctx: TeamContext, request: HttpRequest, form: TemplateForm) -> dict[str, Any]:
    tab = "gallery" if request.GET.get("tab") == "gallery" else "mine"
    q = request.GET.get("q", "").strip()[:200]
    return {
        "tab": tab,
        "q": q,
        "templates": list(selectors.template_list(team=ctx.team, q=q)[:LIST_SIZE]) if tab == "mine" else [],
        "gallery": list(selectors.template_gallery(q=q)[:LIST_SIZE]) if tab == "gallery" else [],
        "form": form,
        "can_write": ctx.can(Capability.CREATE_CONTENT),
        "nav_section": "templates",
    }


@login_required
@require_http_methods(["GET", "POST"])
def template_library(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                template = template_create(ctx=ctx, **form.cleaned_data)
            except ApiError as exc:
                error_message(request, exc)
            else:
                messages.success(request, _("Template saved."))
                return redirect("content:template", template_id=template.pk)
        return render(request, "content/templates.html", _list_context(ctx, request, form), status=400)
    return render(request, "content/templates.html", _list_context(ctx, request, form))


@login_required
@require_http_methods(["GET", "POST"])
def template_detail(request: HttpRequest, template_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    template = selectors.template_get(team=ctx.team, template_id=template_id)
    form = TemplateForm(request.POST or None, initial=_initial(template))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                template_update(ctx=ctx, template=template, changes=form.cleaned_data)
            except ApiError as exc:
                error_message(request, exc)
            else:
                messages.success(request, _("Template saved as a new version."))
                return redirect("content:template", template_id=template.pk)
        status = 400
    context = {
        "template": template,
        "form": form,
        "versions": list(selectors.template_versions(template=template)[:50]),
        "can_write": ctx.can(Capability.CREATE_CONTENT),
        "nav_section": "templates",
    }
    return render(request, "content/template_detail.html", context, status=status)


@login_required
@require_POST
def template_version_restore(request: HttpRequest, template_id: str, number: int) -> HttpResponse:
    ctx = request_team_context(request)
    template = selectors.template_get(team=ctx.team, template_id=template_id)
    version = selectors.template_version_get(template=template, number=number)
    try:
        template_restore(ctx=ctx, template=template, version=version)
    except ApiError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Version %(n)s restored as a new version.") % {"n": number})
    return redirect("content:template", template_id=template.pk)


@login_required
@require_POST
def template_copy_view(request: HttpRequest, template_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    source = selectors.template_get_copyable(team=ctx.team, template_id=template_id)
    try:
        copy = template_copy(ctx=ctx, source=source)
    except ApiError as exc:
        error_message(request, exc)
        return redirect("content:templates")
    messages.success(request, _("Copied to your workspace."))
    return redirect("content:template", template_id=copy.pk)


@login_required
@require_POST
def template_delete_view(request: HttpRequest, template_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    template = selectors.template_get(team=ctx.team, template_id=template_id)
    try:
        template_delete(ctx=ctx, template=template)
    except ApiError as exc:
        error_message(request, exc)
        return redirect("content:template", template_id=template.pk)
    messages.success(request, _("Template deleted."))
    return redirect("content:templates")
