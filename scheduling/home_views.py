"""The dashboard home page: the team's posts, accounts and upcoming schedule, or for a client member
the posts shared with them. It lives in scheduling, the highest app whose figures it shows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import ContentPost
from content.selectors import post_list
from scheduling.models import ScheduledPost
from social.models import SocialAccount
from teams.models import Membership, Team
from teams.permissions import TeamContext


def _team_overview(team: Team) -> dict[str, object]:
    """Quick counts for the home page: four small queries, whatever the team's size."""
    counts: dict[str, int] = dict(
        ContentPost.objects.filter(team=team).values_list("status").annotate(n=Count("pk")).order_by()
    )
    statuses = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ContentPost._meta.get_field("status").choices or []
    ]
    accounts = SocialAccount.objects.filter(team=team, is_active=True).count()
    upcoming = ScheduledPost.objects.filter(team=team, status="PENDING", scheduled_at__gte=timezone.now()).count()
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


def _current_membership(user: Any) -> Membership | None:
    """The user's membership of their current team, only while they are still in it (no stale pointer)."""
    if not user.current_team_id:
        return None
    return Membership.objects.select_related("team").filter(user=user, team_id=user.current_team_id).first()


def _shared_posts(user: Any, membership: Membership) -> list[ContentPost]:
    """A client member's home: the posts shared with them (the one visibility rule), never the team's numbers."""
    viewer = TeamContext(user=user, team=membership.team, membership=membership)
    return list(post_list(team=membership.team, viewer=viewer)[:20])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = _current_membership(request.user)
    team = membership.team if membership else None
    is_client = membership is not None and membership.role == "client"
    context: dict[str, object] = {"team": team, "nav_section": "home", "is_client": is_client}
    if membership is not None and is_client:
        context.update(overview=None, shared_posts=_shared_posts(request.user, membership))
    else:
        context["overview"] = _team_overview(team) if team is not None else None
    return render(request, "dashboard/home.html", context)
