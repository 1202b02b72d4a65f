"""Every page and API read without an object in its path runs as many queries for a team with a
little data as for a team with more of everything: no list, dashboard or count grows an N+1.

The owner of a team calls each route (signed in for pages, with a Bearer token for the API), the
team grows by several objects of every kind, and the owner calls it again. Each measured call follows
one unmeasured call (the first read after new data may fold it into rollups, once) and starts from an
empty cache, so a cached answer cannot hide a query.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import tokens_issue
from tests.world import World, url_routes

pytestmark = pytest.mark.django_db

# Not reads of team data: probes, the schema, the language switch, the token and sign-in flows,
# and the generation stream (a long-lived response).
SKIPPED_PREFIXES = (
    "admin/",
    "static/",
    "media/",
    "__",
    "healthz",
    "readyz",
    "metrics",
    "i18n/",
    "accounts/",
    "api/schema/",
    "api/docs/",
    "api/auth/",
    "generate/stream/",
)


def _read_routes() -> list[tuple[str, str]]:
    return [
        ("/" + route, name)
        for route, name in url_routes()
        if "<" not in route and "(?P" not in route and not route.startswith(SKIPPED_PREFIXES)
    ]


def _params(route: str, world: World) -> dict[str, str]:
    wanted = {
        "/api/social/results/": {"postId": str(world.post.pk)},
        "/api/social/analytics": {"accountId": str(world.account.pk), "timeRange": "30d"},
        "/api/analytics/engagement": {"timeRange": "30d"},
        "/api/analytics/dashboard": {"timeRange": "30d"},
    }
    return wanted.get(route, {})


def _queries(client: APIClient, url: str, params: dict[str, str]) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return response.status_code, len(captured.captured_queries)


ROUTES = _read_routes()


@pytest.mark.parametrize(("url", "name"), ROUTES, ids=[f"{name} {url}" for url, name in ROUTES])
def test_a_read_runs_the_same_queries_as_the_team_grows(url, name, settings):
    settings.SELF_HOSTED = True  # every feature on: the read itself runs, not a plan gate
    world = World()
    User.objects.filter(pk=world.owner.pk).update(platform_role=User.PlatformRole.MODERATOR)
    client = APIClient()
    if url.startswith("/api/"):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=world.owner).access}")
    else:
        client.force_login(world.owner)
    params = _params(url, world)
    client.get(url, params)
    small_status, small = _queries(client, url, params)
    world.grow(4)
    client.get(url, params)
    large_status, large = _queries(client, url, params)

    assert small_status < 500 and large_status == small_status, (small_status, large_status)
    assert large <= small, f"{url}: {small} queries with little data, {large} with more"
