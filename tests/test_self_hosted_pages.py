"""A server without Stripe keys is self-hosted: no page shows a member an environment variable or
an operator's command, and nothing offers an upgrade (there is nothing to buy)."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.world import World, url_routes

pytestmark = pytest.mark.django_db

NOT_PAGES = ("admin/", "api/", "static/", "media/", "__", "healthz", "readyz", "metrics", "i18n/", "accounts/")
NOT_PAGES += ("generate/stream/", "favicon.ico", "robots.txt")
OPERATOR_WORDS = re.compile(r"STRIPE_[A-Z_]+|SELF_HOSTED|DJSTRIPE_|manage\.py|sync_stripe_plans")
UPGRADE = re.compile(r"(?i)upgrade|see plans|more with pro")


def _page_urls(world: World) -> list[str]:
    urls = []
    for route, name in url_routes():
        if route.startswith(NOT_PAGES) or "(?P" in route:
            continue
        kwargs = dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route), "")
        try:
            for kwarg in kwargs:
                kwargs[kwarg] = world.value(name, kwarg)
            urls.append(reverse(name, kwargs=kwargs) if kwargs else "/" + route)
        except (KeyError, NoReverseMatch):
            pass  # a route the world cannot fill: the tenancy sweep covers it
    return urls


def test_no_page_shows_a_member_operator_settings_or_an_upgrade(client, settings):
    settings.SELF_HOSTED = True
    world = World()
    client.force_login(world.owner)
    urls = _page_urls(world)
    assert len(urls) > 40  # guards the walk: most of the dashboard is visited

    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = re.sub(r"<script.*?</script>|<!--.*?-->", "", response.content.decode(), flags=re.S)
        hits = OPERATOR_WORDS.findall(text) + UPGRADE.findall(re.sub(r"<[^>]+>", " ", text))
        if hits:
            found[url] = sorted(set(hits))

    assert not found
