"""Moderation pages: the review queue (moderators) / the team's cases (authors), a case, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.api.errors import ApiError
from moderation.bulk_decisions import cases_decide_bulk
from moderation.forms import AppealForm, BulkDecisionForm, CheckForm, NoteForm, QueueFilterForm, TeamPolicyForm
from moderation.models import ModerationCase
from moderation.selectors import case_get, cases_filtered, cases_visible_to
from moderation.services import (
    case_appeal,
    case_approve,
    case_claim,
    case_reject,
    case_submit,
    is_moderator,
    text_moderate,
)
from moderation.team_policy import team_policy_get, team_policy_update
from teams.permissions import Capability, request_team_context, require

PAGE_SIZE = 25


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    moderator = is_moderator(ctx.user)
    data = request.GET.copy()
    if moderator and "status" not in data:
        data["status"] = "pending"
    filters = QueueFilterForm(data)
    values = filters.cleaned_data if filters.is_valid() else {}
    cases = cases_filtered(
        cases_visible_to(user=ctx.user, team=ctx.team),
        status=values.get("status") or None,
        decision=values.get("decision") or None,
        query=values.get("q") or None,
    ).order_by("created_at" if moderator else "-created_at")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)  # the page links keep every filter
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "cases": page.object_list,
            "filters": filters,
            "query": query.urlencode(),
            "is_moderator": moderator,
            "can_edit_policy": ctx.can(Capability.MANAGE_MODERATION),
            "check_form": CheckForm(),
            "bulk_form": BulkDecisionForm(),
            "nav_section": "moderation",
        },
    )


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """Check a text and, when asked, send a flagged one to the moderators."""
    ctx = request_team_context(request)
    form = CheckForm(request.POST)
    context: dict[str, Any] = {"check_form": form}
    if form.is_valid():
        text = form.cleaned_data["text"]
        platform = form.cleaned_data["platform"] or None
        result = text_moderate(
            team=ctx.team,
            text=text,
            platform=platform,
            context="check",
            author=ctx.user,
            sponsored=form.cleaned_data["sponsored"],
        )
        context.update(decision=result.decision, reasons=result.reason_dicts())
        if request.POST.get("submit_for_review") and result.decision != "allow":
            context["case"] = case_submit(team=ctx.team, author=ctx.user, text=text, result=result, platform=platform)
    if getattr(request, "htmx", False):
        return render(request, "moderation/partials/check_result.html", context)
    if "case" in context:
        messages.success(request, _("Sent to the moderators."))
        return redirect("moderation:case", case_id=context["case"].pk)
    return render(request, "moderation/check.html", context)


def _case_context(request: HttpRequest, case: ModerationCase, **extra: Any) -> dict[str, Any]:
    ctx = request_team_context(request)
    own_team = case.team_id == ctx.team.pk
    return {
        "case": case,
        "is_moderator": is_moderator(ctx.user),
        "may_appeal": own_team
        and case.can_appeal
        and (case.author_id == ctx.user.pk or ctx.can(Capability.CREATE_CONTENT)),
        "note_form": NoteForm(),
        "appeal_form": AppealForm(),
        "nav_section": "moderation",
        **extra,
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    case = case_get(user=ctx.user, team=ctx.team, case_id=case_id)
    return render(request, "moderation/case_detail.html", _case_context(request, case))


def _act(request: HttpRequest, case_id: str, action: str) -> HttpResponse:
    ctx = request_team_context(request)
    case = case_get(user=ctx.user, team=ctx.team, case_id=case_id)
    try:
        if action == "claim":
            case_claim(case=case, moderator=ctx.user)
            messages.success(request, _("You claimed this case."))
        elif action in ("approve", "reject"):
            form = NoteForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            if action == "approve":
                case_approve(case=case, moderator=ctx.user, note=note)
                messages.success(request, _("Approved: the author can publish it now."))
            else:
                case_reject(case=case, moderator=ctx.user, note=note)
                messages.success(request, _("Rejected: the author was told why."))
        else:
            form_appeal = AppealForm(request.POST)
            context = _case_context(request, case)
            if not context["may_appeal"] or not form_appeal.is_valid():
                if not context["may_appeal"]:
                    messages.error(request, _("This case cannot be appealed."))
                    return redirect("moderation:case", case_id=case.pk)
                context["appeal_form"] = form_appeal
                return render(request, "moderation/case_detail.html", context, status=400)
            case_appeal(case=case, user=ctx.user, message=form_appeal.cleaned_data["message"])
            messages.success(request, _("Appeal sent: a moderator will look again."))
    except ApiError as exc:
        messages.error(request, exc.message)
        status = 400 if exc.status_code == 400 else exc.status_code
        return render(request, "moderation/case_detail.html", _case_context(request, case), status=status)
    target = request.POST.get("next")
    if target == "queue":
        return redirect(reverse("moderation:queue"))
    return redirect("moderation:case", case_id=case.pk)


@login_required
@require_POST
def claim(request: HttpRequest, case_id: str) -> HttpResponse:
    return _act(request, case_id, "claim")


@login_required
@require_POST
def approve(request: HttpRequest, case_id: str) -> HttpResponse:
    return _act(request, case_id, "approve")


@login_required
@require_POST
def reject(request: HttpRequest, case_id: str) -> HttpResponse:
    return _act(request, case_id, "reject")


@login_required
@require_POST
def appeal(request: HttpRequest, case_id: str) -> HttpResponse:
    return _act(request, case_id, "appeal")


@login_required
@require_POST
def bulk_decide(request: HttpRequest) -> HttpResponse:
    """Approve or reject the ticked cases of the queue with one note (moderators only)."""
    ctx = request_team_context(request)
    form = BulkDecisionForm(request.POST)
    action = form.cleaned_data["action"] if form.is_valid() else request.POST.get("action", "")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        outcome = cases_decide_bulk(
            case_ids=request.POST.getlist("case_ids"), moderator=ctx.user, action=action, note=note
        )
    except ApiError as exc:
        if exc.status_code == 403:
            raise
        messages.error(request, " ".join([exc.message, *[m for ms in (exc.details or {}).values() for m in ms]]))
        return redirect(reverse("moderation:queue"))
    if outcome.decided:
        messages.success(
            request,
            ngettext("%(count)d case decided.", "%(count)d cases decided.", len(outcome.decided))
            % {"count": len(outcome.decided)},
        )
    if outcome.skipped:
        messages.warning(
            request,
            ngettext("%(count)d case skipped: %(why)s", "%(count)d cases skipped: %(why)s", len(outcome.skipped))
            % {"count": len(outcome.skipped), "why": "; ".join(sorted({why for _id, why in outcome.skipped}))},
        )
    return redirect(reverse("moderation:queue"))


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    """The team's own policy: phrases, protected terms, strictness per check; team admins edit it."""
    ctx = request_team_context(request)
    require(ctx, Capability.MANAGE_MODERATION)
    current = team_policy_get(team=ctx.team).as_dict()
    status = 200
    if request.method == "POST":
        form = TeamPolicyForm(request.POST)
        if form.is_valid():
            try:
                team_policy_update(ctx=ctx, data=form.policy_data())
            except ApiError as exc:
                if exc.status_code != 400:
                    raise
                for field_name, problems in (exc.details or {}).items():
                    form.add_error(None, f"{field_name}: {' '.join(problems)}")
                status = 400
            else:
                messages.success(request, _("Moderation policy saved: it applies to the next check."))
                return redirect("moderation:policy")
        else:
            status = 400
    else:
        form = TeamPolicyForm(initial=TeamPolicyForm.initial_from(current))
    return render(
        request,
        "moderation/policy.html",
        {
            "form": form,
            "ai_available": current["ai_available"],
            "check_form": CheckForm(),
            "nav_section": "moderation",
        },
        status=status,
    )
