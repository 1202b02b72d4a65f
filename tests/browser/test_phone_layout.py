"""Every page on a 390 px phone, left to right and right to left: nothing scrolls sideways (nor once the
phone is 360 or 430 px wide), the console stays clean (CSP violations included), and inviting and
commenting raise no error either.

The routes are the project's own (tests.world.url_routes, as the tenancy and query-count sweeps use
them), filled with one object of every kind (tests.world.World) in a workspace that also holds the
demo's posts, schedule and two months of analytics. A route is a page when the owner's GET answers
200 with an HTML document; each is opened once per language in one reused browser page.

Screenshots of the dashboard, composer, calendar and analytics are kept under
var/test-results/phone/ (<lang>-<page>.png) to look at.
"""

from __future__ import annotations

import re
import time
from io import StringIO
from typing import Any

import pytest
from django.test import Client

from accounts.models import UserPreferences
from monitoring.management.commands.seed_demo import Command as SeedDemo
from tests.browser.conftest import DEFAULT_PASSWORD, RESULTS_DIR
from tests.world import World, url_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OTHER_WIDTHS = (360, 430)
SHOTS_DIR = RESULTS_DIR / "phone"
SCREENSHOTS = {
    "/dashboard/": "dashboard",
    "/generate/": "composer",
    "/calendar/": "calendar",
    "/analytics/": "analytics",
}
PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
# Not pages a person reads: the admin, files, probes, the API and its docs, sign-in flows (the public
# ones are in PUBLIC_PAGES), the language switch and the generation stream.
SKIPPED_PREFIXES = (
    "admin/",
    "static/",
    "media/",
    "__",
    "healthz",
    "readyz",
    "metrics",
    "favicon",
    "i18n/",
    "accounts/",
    "api/",
    "generate/stream/",
)
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
EXTRA_QUERIES = ["/calendar/?view=week", "/calendar/?view=list"]

# The elements sticking out of the viewport, to say what overflows when something does.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const clipped = (el) => {
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.visibility === "hidden" || (up !== el && style.overflowX !== "visible")) return true;
    }
    return false;
  };
  const outside = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join(".");
      (clipped(el) ? outside : out).push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  // Nothing unclipped: an absolutely placed element escaped its scroll box, so show them all.
  return (out.length ? out : outside).slice(0, 8);
}"""


def _world() -> World:
    world = World()
    SeedDemo(stdout=StringIO())._content(world.owner)  # the demo's posts, schedule and analytics
    return world


def _pages(world: World) -> list[str]:
    """Every route the owner can open as a page, with the world's objects in its path."""
    candidates = []
    for route, name in url_routes():
        if route.startswith(SKIPPED_PREFIXES) or "(?P" in route:
            continue
        try:
            candidates.append("/" + CONVERTER.sub(lambda m, name=name: world.value(name, m.group("name")), route))
        except KeyError:  # a token addressed to someone outside the team: not the owner's page
            continue
    client = Client()
    client.force_login(world.owner)
    pages = []
    for url in [*candidates, *EXTRA_QUERIES]:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            if b"<html" in response.content[:500]:
                pages.append(url)
    return pages


def _measure(page: Any, url: str, page_problems: Any) -> list[str]:
    found = []
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The page as loaded at 390 px, then the same page turned to the narrowest and widest common phones.
    for width in (*OTHER_WIDTHS, PHONE["width"]):
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            found.append(f"{url}: {scroll_width} px wide in {client_width} px {page.evaluate(OVERFLOWING)}")
        page.set_viewport_size({**PHONE, "width": width})
        page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    problems = page_problems.collect(page)
    if problems:
        found.append(f"{url}: {problems}")
    page_problems.console_errors.clear()
    page_problems.page_errors.clear()
    return found


def _switch_language(page: Any, language: str) -> None:
    page.get_by_test_id("language-switcher").first.click()
    with page.expect_navigation():
        page.locator(f'.language-switcher button[value="{language}"]').click()


def _invite_and_comment(page: Any, world: World, page_problems: Any) -> list[str]:
    page.goto("/team/")
    form = page.get_by_test_id("invite-form")
    form.locator('input[name="email"]').fill("new.teammate@example.com")
    form.locator('button[type="submit"]').click()
    page.get_by_test_id("pending-invitations").filter(has_text="new.teammate@example.com").wait_for()

    page.goto(f"/posts/{world.post.pk}/")
    body = page.locator("#comment-body")
    body.fill("Ready when you are")
    # A person drags the box's corner to see more of what they write: the browser keeps that size as
    # the textarea's style attribute, which the form's swap used to copy (an inline style the CSP refuses).
    body.evaluate("element => { element.style.height = '9rem'; }")
    body.evaluate("element => element.form.requestSubmit()")
    page.get_by_test_id("comment").filter(has_text="Ready when you are").wait_for()
    page.wait_for_load_state("networkidle")
    problems = page_problems.collect(page)
    return [f"invite and comment: {problems}"] if problems else []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_fits_a_phone_without_console_errors(page, log_in, settings, page_problems, language):
    started = time.monotonic()
    settings.SELF_HOSTED = True  # every plan feature on, so each page shows what it is for
    world = _world()
    UserPreferences.objects.update_or_create(user=world.owner, defaults={"language": language})
    pages = _pages(world)
    assert {"/dashboard/", "/generate/", "/calendar/", "/analytics/", f"/posts/{world.post.pk}/"} <= set(pages)
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)

    failures: list[str] = []
    page.goto("/accounts/login/")
    if language != "en":
        _switch_language(page, language)
    for url in PUBLIC_PAGES:
        failures += _measure(page, url, page_problems)
        if url == "/":
            page.screenshot(path=str(SHOTS_DIR / f"{language}-landing.png"), full_page=True)

    log_in(world.owner.email, DEFAULT_PASSWORD)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        language,
        "rtl" if language == "ar" else "ltr",
    ]
    for url in pages:
        failures += _measure(page, url, page_problems)
        if url in SCREENSHOTS:
            page.screenshot(path=str(SHOTS_DIR / f"{language}-{SCREENSHOTS[url]}.png"), full_page=True)
    failures += _invite_and_comment(page, world, page_problems)

    took = time.monotonic() - started
    print(f"{language}: {len(pages) + len(PUBLIC_PAGES)} pages at 360, 390 and 430 px in {took:.0f} s")
    assert failures == [], "\n".join(failures)
