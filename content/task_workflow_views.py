"""The team's task list and its approval workflows (pages). One post's review is content.collab_views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content import collab_selectors as selectors
from content.collaboration import StageInput, task_set_done, workflow_delete, workflow_save
from content.models import Brand
from content.selectors import brand_list
from core.api.errors import ApiError
from teams.models import Membership
from teams.permissions import Capability, request_team_context

PAGE_SIZE = 30


class WorkflowForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    brand = forms.ChoiceField(label=gettext_lazy("Applies to"), required=False)
    stages = forms.CharField(
        label=gettext_lazy("Stages"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One stage per line: name | approvals needed | reviewer emails (comma-separated, optional). "
            "Example: Legal | 1 | lee@example.com"
        ),
    )

    def __init__(self, *args: Any, brands: list[Brand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("The whole team"))] + [(str(b.pk), b.name) for b in brands]  # type: ignore[attr-defined]

    def parsed_stages(self, members_by_email: dict[str, Any]) -> list[StageInput]:
        stages = []
        for number, line in enumerate(self.cleaned_data["stages"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                required = int(parts[1]) if len(parts) > 1 and parts[1] else 1
            except ValueError as exc:
                raise forms.ValidationError(_("Line %(n)s: approvals must be a number.") % {"n": number}) from exc
            emails = [e.strip().lower() for e in parts[2].split(",") if e.strip()] if len(parts) > 2 else []
            unknown = [e for e in emails if e not in members_by_email]
            if unknown:
                raise forms.ValidationError(
                    _("Line %(n)s: not a member: %(e)s") % {"n": number, "e": ", ".join(unknown)}
                )
            stages.append(
                StageInput(
                    name=parts[0], required_approvals=required, reviewer_ids=[members_by_email[e].pk for e in emails]
                )
            )
        return stages


def _members(team: Any) -> list[Any]:
    return [m.user for m in Membership.objects.filter(team=team).select_related("user").order_by("user__email")]


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    mine = request.GET.get("mine") == "1"
    tasks = selectors.tasks_for_team(team=ctx.team, assignee_id=ctx.user.pk if mine else None)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "content/tasks.html", {"page": page, "tasks": page.object_list, "mine": mine, "nav_section": "tasks"}
    )


@login_required
@require_POST
def task_toggle(request: HttpRequest, task_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    task = selectors.task_get(team=ctx.team, task_id=task_id)
    try:
        task_set_done(ctx=ctx, task=task, done=task.done_at is None)
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Task done.") if task.done_at else _("Task reopened."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "content:tasks")


@login_required
@require_http_methods(["GET", "POST"])
def workflow_list(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    brands = list(brand_list(team=ctx.team))
    form = WorkflowForm(request.POST or None, brands=brands)
    status = 200
    if request.method == "POST":
        if not ctx.can(Capability.MANAGE_MEMBERS):
            messages.error(request, _("Your role cannot change approval workflows."))
            return redirect("content:workflows")
        if form.is_valid():
            members_by_email = {u.email.lower(): u for u in _members(ctx.team)}
            try:
                stages = form.parsed_stages(members_by_email)
                brand = next((b for b in brands if str(b.pk) == form.cleaned_data["brand"]), None)
                workflow_save(ctx=ctx, name=form.cleaned_data["name"], stages=stages, brand=brand)
            except forms.ValidationError as exc:
                form.add_error("stages", exc)
            except ApiError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Workflow saved."))
                return redirect("content:workflows")
        status = 400
    return render(
        request,
        "content/workflows.html",
        {
            "form": form,
            "workflows": selectors.workflows_for_team(team=ctx.team),
            "can_manage": ctx.can(Capability.MANAGE_MEMBERS),
            "nav_section": "team",  # workflow settings live under Team; the sidebar's Approvals is the queue
        },
        status=status,
    )


@login_required
@require_POST
def workflow_remove(request: HttpRequest, workflow_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    workflow = selectors.workflow_get(team=ctx.team, workflow_id=workflow_id)
    try:
        workflow_delete(ctx=ctx, workflow=workflow)
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Workflow deleted."))
    return redirect("content:workflows")
