"""The dashboard home page with the team's numbers.

Models of higher apps are looked up by name: core sits below them in the import order.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _team_overview(team: Any) -> dict[str, object]:
    """Quick counts for the home page: four small queries, whatever the team's size."""
    content_post = apps.get_model("content", "ContentPost")
    social_account = apps.get_model("social", "SocialAccount")
    scheduled_post = apps.get_model("scheduling", "ScheduledPost")

    counts: dict[str, int] = dict(
        content_post.objects.filter(team=team).values_list("status").annotate(n=Count("pk")).order_by()
    )
    statuses = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in content_post._meta.get_field("status").choices or []
    ]
    accounts = social_account.objects.filter(team=team, is_active=True).count()
    upcoming = scheduled_post.objects.filter(
        post__team=team, status="PENDING", scheduled_at__gte=timezone.now()
    ).count()
    total_posts = sum(counts.values())
    published = counts.get("PUBLISHED", 0)
    return {
        "statuses": statuses,
        "total_posts": total_posts,
        "accounts": accounts,
        "upcoming": upcoming,
        "steps": [
            {
                "done": accounts > 0,
                "title": _("Connect a social account"),
                "text": _("Link the profile you want to publish to."),
                "url": reverse("social:accounts"),
                "cta": _("Connect an account"),
            },
            {
                "done": total_posts > 0,
                "title": _("Write your first post"),
                "text": _("Give a topic and a tone; the AI drafts it for you."),
                "url": reverse("content:generate"),
                "cta": _("Generate a post"),
            },
            {
                "done": upcoming > 0 or published > 0,
                "title": _("Schedule it"),
                "text": _("Pick a time on the calendar and it goes out on its own."),
                "url": reverse("scheduling:calendar"),
                "cta": _("Open the calendar"),
            },
        ],
    }


def _current_membership(user: Any) -> Any | None:
    """The user's membership of their current team, only while they are still in it (no stale pointer)."""
    if not user.current_team_id:
        return None
    membership_model = apps.get_model("teams", "Membership")
    return membership_model.objects.select_related("team").filter(user=user, team_id=user.current_team_id).first()


def _shared_posts(team: Any, user: Any) -> list[Any]:
    """A client member's home: the posts shared with them, never the team's numbers."""
    content_post = apps.get_model("content", "ContentPost")
    return list(content_post.objects.filter(team=team, shares__user=user).order_by("-created_at")[:20])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = _current_membership(request.user)
    team = membership.team if membership else None
    is_client = membership is not None and membership.role == "client"
    context: dict[str, object] = {"team": team, "nav_section": "home", "is_client": is_client}
    if is_client:
        context.update(overview=None, shared_posts=_shared_posts(team, request.user))
    else:
        context["overview"] = _team_overview(team) if team is not None else None
    return render(request, "dashboard/home.html", context)
