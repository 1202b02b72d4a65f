"""The Data portability page: request exports and download them, upload an import, preview, confirm."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.api.errors import ApiError
from scheduling.models import DataExport
from scheduling.portability import selectors, services
from scheduling.portability.exporters import RENDERERS
from scheduling.portability.forms import ExportForm, ImportForm
from teams.permissions import Capability, request_team_context

RECENT_EXPORTS = 20


def _page(request: HttpRequest, *, export_form: ExportForm, import_form: ImportForm, code: int = 200) -> HttpResponse:
    ctx = request_team_context(request)
    exports = list(selectors.exports_for_team(team=ctx.team)[:RECENT_EXPORTS])
    return render(
        request,
        "portability/index.html",
        {
            "nav_section": "portability",
            "export_form": export_form,
            "import_form": import_form,
            "exports": exports,
            "building": any(e.status == DataExport.Status.PENDING for e in exports),
            "can_import": ctx.can(Capability.CREATE_CONTENT),
        },
        status=code,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    request_team_context(request)
    return _page(request, export_form=ExportForm(), import_form=ImportForm())


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _page(request, export_form=form, import_form=ImportForm(), code=400)
    data = form.cleaned_data
    services.data_export_request(
        ctx=ctx,
        export_format=data["format"],
        kinds=data["types"],
        date_from=data["date_from"],
        date_to=data["date_to"],
        anonymize=data["anonymize"],
    )
    messages.success(request, _("Export requested. It appears below with a download link when it is ready."))
    return redirect("scheduling:portability")


@login_required
def download(request: HttpRequest, export_id: str) -> HttpResponseBase:
    ctx = request_team_context(request)
    row = selectors.export_get(team=ctx.team, export_id=export_id)
    if row.status != DataExport.Status.READY:
        messages.info(request, _("That export is not ready yet."))
        return redirect("scheduling:portability")
    extension, content_type = RENDERERS[row.format][1:]
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=f"contentgenai-export-{row.created_at:%Y%m%d}.{extension}",
        content_type=content_type,
    )


@login_required
@require_POST
def import_preview(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, export_form=ExportForm(), import_form=form, code=400)
    raw = form.cleaned_data["file"].read(services.MAX_IMPORT_BYTES + 1)  # the size check never needs more
    options = {k: form.cleaned_data[k] for k in ("source", "platform", "day_first")}
    try:
        outcome = services.posts_import(ctx=ctx, raw=raw, commit=False, **options)
    except ApiError as exc:
        form.add_error("file", exc.message)
        return _page(request, export_form=ExportForm(), import_form=form, code=exc.status_code)
    return render(
        request,
        "portability/preview.html",
        {
            "nav_section": "portability",
            "outcome": outcome,
            "options": options,
            "payload": base64.b64encode(raw).decode(),
        },
        status=200 if not outcome.errors else 400,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    try:
        raw = base64.b64decode(request.POST.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    options = {
        "source": request.POST.get("source", ""),
        "platform": request.POST.get("platform", ""),
        "day_first": request.POST.get("day_first") == "True",
    }
    try:
        outcome = services.posts_import(
            ctx=ctx,
            raw=raw,
            commit=True,
            source=str(options["source"]),
            platform=str(options["platform"]),
            day_first=bool(options["day_first"]),
        )
    except ApiError as exc:
        messages.error(request, exc.message)
        return redirect("scheduling:portability")
    if not outcome.committed:
        context = {"nav_section": "portability", "outcome": outcome, "options": options, "payload": ""}
        return render(request, "portability/preview.html", context, status=400)
    messages.success(
        request,
        _("Imported %(created)d posts and %(scheduled)d schedules.")
        % {"created": outcome.created, "scheduled": outcome.scheduled},
    )
    return redirect("scheduling:portability")
