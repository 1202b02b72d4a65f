"""The team's activity feed (page). Tasks and approval workflows are content.task_workflow_views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from teams import collab_selectors as selectors
from teams.models import Membership
from teams.permissions import request_team_context

PAGE_SIZE = 30


class ActivityFilterForm(forms.Form):
    verb = forms.ChoiceField(
        label=gettext_lazy("What"),
        required=False,
        choices=[
            ("", gettext_lazy("Everything")),
            ("post.", gettext_lazy("Posts")),
            ("post.submitted", gettext_lazy("Submitted")),
            ("post.approved", gettext_lazy("Approved")),
            ("post.changes_requested", gettext_lazy("Changes requested")),
            ("comment.", gettext_lazy("Comments")),
            ("task.", gettext_lazy("Tasks")),
            ("revision.", gettext_lazy("Revisions")),
            ("member.", gettext_lazy("Members")),
        ],
    )
    actor = forms.ChoiceField(label=gettext_lazy("Who"), required=False)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone"))] + [(str(u.pk), u.get_short_name()) for u in members]  # type: ignore[attr-defined]


def _members(team: Any) -> list[Any]:
    return [m.user for m in Membership.objects.filter(team=team).select_related("user").order_by("user__email")]


@login_required
@require_GET
def activity_feed(request: HttpRequest) -> HttpResponse:
    ctx = request_team_context(request)
    members = _members(ctx.team)
    filters = ActivityFilterForm(request.GET or None, members=members)
    values = filters.cleaned_data if filters.is_valid() else {}
    events = selectors.activity_list(team=ctx.team, verb=values.get("verb", ""), actor_id=values.get("actor", ""))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teams/activity.html",
        {
            "filters": filters,
            "page": page,
            "events": page.object_list,
            "query": query.urlencode(),
            "nav_section": "activity",
        },
    )
