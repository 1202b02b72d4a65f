"""Every dashboard page answers odd form posts and odd query strings without a 500.

The owner of a team with an object of every kind (so paths name real objects) posts to every page
route an empty form, a form of oversized and wrong-typed values, and fetches it with nonsense in the
usual query parameters. Pages may refuse (4xx), re-render the form with errors, or redirect; a 500 is
a bug.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from tests.world import World, url_routes

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = (
    "admin/",
    "static/",
    "media/",
    "__",
    "api/",
    "healthz",
    "readyz",
    "metrics",
    "accounts/",  # allauth's own forms
    "generate/stream/",
    "settings/privacy/delete/",  # ends the session: covered by the privacy tests
    "team/leave/",  # the owner cannot leave; covered by the team tests
)
# link_redirect: a tracked link's public redirect, no page and no form (content/tests/test_tracked_links.py).
EXEMPT_NAMES = {
    "client_review",
    "invitation",
    "invitation_accept",
    "invitation_decline",
    "connect",
    "callback",
    "link_redirect",
}
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
ODD_FORM = {
    "content": "x" * 70_000,
    "text": "\x00nul",
    "title": ["a", "b"],
    "platform": "myspace",
    "platforms": "not-a-platform",
    "scheduled_at": "yesterday-ish",
    "scheduledAt": "31/02/2026 25:61",
    "timezone": "Mars/Olympus_Mons",
    "role": "emperor",
    "email": "not-an-email",
    "page": "-1",
    "limit": "NaN",
    "account_ids": "nope",
    "post_ids": "123",
    "color": "#zzzzzz",
    "format": "EXE",
    "status": "EXPLODED",
    "language": "klingon",
}
ODD_QUERY = {"page": "9999999", "q": "%' OR 1=1 --", "platform": "myspace", "timeRange": "forever", "status": "??"}


def _page_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in url_routes()
        if route and "(?P" not in route and not route.startswith(SKIPPED_PREFIXES) and name not in EXEMPT_NAMES
    ]


ROUTES = _page_routes()


@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[f"{name} /{route}" for route, name in ROUTES])
def test_a_page_answers_odd_input_without_a_500(route, name, settings):
    settings.SELF_HOSTED = not route.startswith("billing/")
    world = World()
    User.objects.filter(pk=world.owner.pk).update(platform_role=User.PlatformRole.MODERATOR)
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    url = "/" + CONVERTER.sub(lambda m: world.value(name, m.group("name")), route)

    for label, call in (
        ("GET with odd parameters", lambda: client.get(url, ODD_QUERY)),
        ("empty POST", lambda: client.post(url, {})),
        ("odd POST", lambda: client.post(url, ODD_FORM)),
    ):
        cache.clear()
        response = call()
        assert response.status_code < 500, (url, label, response.status_code)
