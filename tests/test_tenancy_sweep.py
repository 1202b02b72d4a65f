"""Every URL that names an object, page or API, answers 404 to a user of another team.

One team's world holds an object of every kind a URL can name. A user of another team (signed in for
pages, with a Bearer token for the API) calls every such URL with every method, using the first team's
ids and tokens: each call is a 404 (or a 405 where the route has no such method, with at least one 404
per route), never a 200, a 403 that confirms the object exists, or a 500, and nothing of the first team
changes. A guard fails when a new URL with an object in its path is neither swept nor exempt with a
reason, so the sweep grows with the project.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tokens import tokens_issue
from tests.world import World, url_routes

pytestmark = pytest.mark.django_db

# Routes whose path names no team object, or whose token is the capability itself (addressed to
# someone outside the team by design). Each reason says why another team's 404 does not apply.
EXEMPT = {
    "account_confirm_email": "allauth e-mail confirmation key: the key is the capability",
    "account_reset_password_from_key": "allauth password-reset key: the key is the capability",
    "api-invitation": "invitation token: addressed to someone not yet in the team",
    "api-invitation-accept": "invitation token: addressed to someone not yet in the team",
    "api-invitation-decline": "invitation token: addressed to someone not yet in the team",
    "invitation": "invitation token: addressed to someone not yet in the team",
    "invitation_accept": "invitation token: addressed to someone not yet in the team",
    "invitation_decline": "invitation token: addressed to someone not yet in the team",
    "client_review": "client magic link: addressed to a client outside the team",
    "connect": "names a platform, not an object",
    "callback": "names a platform, not an object (OAuth state is checked against the session)",
    "switch": "switching to a team one is not in is covered by api-team-switch and teams' own tests",
    "link_redirect": "public short link in a published post: anyone may follow it; it only redirects",
}

EXCLUDED_PREFIXES = ("admin/", "static/", "media/", "__", "^static", "^media")

# Roles other than the owner: the owner's teammate is the share target and the member of member URLs.
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _object_routes() -> list[tuple[str, str]]:
    found = []
    for route, name in url_routes():
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if "<" in route or "(?P<" in route:
            found.append((route, name))
    return found


def _concrete(route: str, name: str, world: World) -> str:
    return "/" + CONVERTER.sub(lambda m: world.value(name, m.group("name")), route)


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_every_route_with_an_object_is_swept_or_exempt_with_a_reason():
    world = World()
    missing = []
    for route, name in _object_routes():
        if name in EXEMPT:
            continue
        if "(?P<" in route:
            missing.append(f"{route} ({name}): a regex route the sweep cannot fill")
            continue
        try:
            _concrete(route, name, world)
        except KeyError as error:
            missing.append(str(error))

    assert not missing, "\n".join(missing)
    assert set(EXEMPT) <= {name for _route, name in _object_routes()}, "an exemption names no route"


SWEPT = [(route, name) for route, name in _object_routes() if name not in EXEMPT and "(?P<" not in route]


@pytest.mark.parametrize(("route", "name"), SWEPT, ids=[f"{name} {route}" for route, name in SWEPT])
def test_another_teams_user_gets_404_and_changes_nothing(route, name, settings):
    # Every plan feature on, so a plan gate (402) cannot answer before the tenancy check does.
    settings.SELF_HOSTED = True
    world = World()
    url = _concrete(route, name, world)
    client = APIClient()
    if url.startswith("/api/"):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=world.outsider).access}")
    else:
        client.force_login(world.outsider)
    before = world.fingerprint()

    statuses = {}
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {}, format="json")
        statuses[method] = response.status_code
        assert response.status_code in {404, 405}, (method, url, response.status_code, response.content[:300])
        if url.startswith("/api/"):
            body = response.json()
            assert body["success"] is False
            assert body["error"]["code"] in {"NOT_FOUND", "METHOD_NOT_ALLOWED"}

    assert 404 in statuses.values(), statuses
    assert world.fingerprint() == before
