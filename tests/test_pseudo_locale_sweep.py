"""Every dashboard page speaks the reader's language: nothing on it is English that was never translated.

The owner of a team with an object of every kind (tests/world.py) reads every page in the pseudo-locale
(tests/pseudo_locale.py), where each translated string carries ⟦markers⟧. Any visible text (a text node,
a placeholder, a tooltip, an aria-label, a button's value) with a word outside the markers fails the
route, unless the word is user content from the database, a number, a code, or one of the names in
ALLOWED (tests/pseudo_locale.py says what counts as each). Error pages the reader gets (a 404) are read
too; a 5xx fails. tests/test_pseudo_locale_messages.py does the same for notifications and e-mails.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from accounts.services import user_preferences_ensure
from content.collaboration import client_link_create
from content.models import ContentPost
from teams.permissions import TeamContext
from tests.pseudo_locale import PSEUDO, pseudo_locale, untranslated, user_content
from tests.world import World, url_routes

pytestmark = pytest.mark.django_db

# Not pages a person reads: probes, the language switch, downloads, streams, the API, Django's own
# admin (its catalogue is Django's; our two operator pages under admin/ are swept) and allauth's old
# accounts/social/ aliases of accounts/3rdparty/ (swept under that name).
SKIPPED_PREFIXES = (
    "api/",
    "admin/",
    "static/",
    "media/",
    "__",
    "healthz",
    "readyz",
    "metrics",
    "favicon",
    "i18n/",
    "generate/stream/",
    "accounts/social/",
)
EXTRA_PAGES = [("admin/status/", "status"), ("admin/usage/", "usage")]
# A tracked link's public redirect: a 302 to the post's link, no text (content/tests/test_tracked_links.py).
NOT_PAGES = {"link_redirect"}


def _page_routes() -> list[tuple[str, str]]:
    routes = [
        (route, name)
        for route, name in url_routes()
        if not route.startswith(SKIPPED_PREFIXES)
        and "(?P" not in route
        and "download" not in route
        and name not in NOT_PAGES
    ]
    return routes + EXTRA_PAGES


def _url(route: str, name: str, world: World) -> str | None:
    from tests.test_tenancy_sweep import CONVERTER

    def fill(match):  # type: ignore[no-untyped-def]
        kwarg = match.group("name")
        if kwarg == "token" and name.startswith("invitation"):
            return world.invitation_token
        if kwarg == "token" and name == "client_review":
            return world.link_token
        if kwarg == "platform":
            return "sandbox"
        return world.value(name, kwarg)

    return "/" + CONVERTER.sub(fill, route)


# LAST RESORT, shrinking: routes known to still show English, each with what is left. A route fixed
# while listed fails the run (strict xfail), so it must come off the list; a new route cannot be added
# here without saying why.
KNOWN_ENGLISH: dict[str, str] = {}

ROUTES = _page_routes()
PARAMS = [
    pytest.param(route, name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_ENGLISH[name]))
    if name in KNOWN_ENGLISH
    else (route, name)
    for route, name in ROUTES
]


def _distinct_names(world: World) -> None:
    """Give the world's objects names no page could print by itself ("Default", "Nice", "Launch"):
    user content is excused, so a hard-coded word that is also an object's name would pass unseen."""
    from accounts.models import ApiKey
    from analytics.models import ABTest, CompetitorPost
    from content.models import ApprovalWorkflow, BrandAsset, ContentTemplate, ContentTemplateVersion, PostComment, Task
    from teams.models import ActivityEvent

    ApprovalWorkflow.objects.filter(pk=world.workflow.pk).update(name="Zq workflow")
    ContentTemplate.objects.filter(pk=world.template.pk).update(name="Zq template")
    ContentTemplateVersion.objects.filter(template=world.template).update(name="Zq template")
    ApiKey.objects.filter(pk=world.api_key.pk).update(name="Zq key")
    PostComment.objects.filter(pk=world.comment.pk).update(body="Zq comment")
    BrandAsset.objects.filter(pk=world.asset.pk).update(name="Zq colour")
    ABTest.objects.filter(pk=world.ab_test.pk).update(name="Zq test")
    CompetitorPost.objects.filter(pk=world.competitor.pk).update(competitor="Zq rival")
    Task.objects.filter(pk=world.task.pk).update(title="Zq task")
    ActivityEvent.objects.filter(team=world.team, summary="First post").update(summary="Zq event")


@pytest.fixture
def reader(settings):
    settings.SELF_HOSTED = True  # every feature on: the page itself renders, not an upgrade prompt
    cache.clear()
    with pseudo_locale():
        world = World()
        _distinct_names(world)
        User.objects.filter(pk=world.owner.pk).update(
            platform_role=User.PlatformRole.ADMIN, is_staff=True, is_superuser=True
        )
        ctx = TeamContext(user=world.owner, team=world.team, membership=world.owner.memberships.get(team=world.team))
        ContentPost.objects.filter(pk=world.post.pk).update(status="IN_REVIEW")
        world.post.refresh_from_db()
        _link, world.link_token = client_link_create(
            ctx=ctx, post=world.post, client_name="Client", client_email="client@example.com", days=3
        )
        prefs = user_preferences_ensure(user=world.owner)
        prefs.language = PSEUDO
        prefs.save()
        client = Client()
        client.force_login(world.owner)
        yield world, client
    cache.clear()


@pytest.mark.parametrize(("route", "name"), PARAMS, ids=[f"{name} {route}" for route, name in ROUTES])
def test_every_visible_text_of_a_page_is_translated(reader, route, name):
    world, client = reader
    url = _url(route, name, world)
    response = client.get(url)
    # Never a server error. Redirects and POST-only routes (405) have no page of their own to read;
    # an error page the reader gets (a 404, say) is read like any other page.
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code in {301, 302, 405} or "text/html" not in response.get("Content-Type", ""):
        return

    page = response.content.decode()
    assert "⟦" in page, "the page was not rendered in the pseudo-locale"
    english = untranslated(page, content=user_content())
    assert english == [], f"GET {url}: text outside the markers:\n" + "\n".join(english)
