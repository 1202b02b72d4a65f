"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Playwright's own browser download cannot work on these machines, so the system Chromium is
launched directly; when it is missing the fixture fails and says how to install it.

pytest-django's live_server speaks WSGI only, so for pages on it /ws/notifications/ is answered by
Playwright's route_web_socket instead of Channels (the consumer has its own tests). Tests get the
fake server as `notification_socket` and can push notifications through it.

A test that needs the real websocket uses `asgi_live_server` (Daphne serving config.asgi, see
asgi_live.py) and opens one browser per person with `asgi_browser`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.asgi_live import AsgiLiveServer, asgi_live_server  # noqa: F401 (a fixture)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test body would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "var" / "test-results"
DEFAULT_PASSWORD = "correct-horse-battery"

# Collected in the page before any of its scripts run, so a violation during load is caught.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[Any]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's Chromium package. As root run "
            "`apt-get update` then `apt-get install -y chromium`, or point CHROMIUM_PATH at a Chromium binary.",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: on a loaded 2-core CI machine a draft save's round trip
    # passed playwright's 5 s assertion default (the brand flow's "Draft saved" toast, CI run of stop 27).
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class FakeNotificationSocket:
    """Stands in for the Channels consumer: accepts the page's websocket and can push to it."""

    connections: list[Any] = field(default_factory=list)

    def accept(self, ws: Any) -> None:
        self.connections.append(ws)

    def push(self, notification: dict[str, Any], unread: int) -> None:
        message = json.dumps({"type": "notification", "notification": notification, "unread": unread})
        for ws in self.connections:
            ws.send(message)


@dataclass
class PageProblems:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def collect(self, page: Any) -> list[str]:
        """Everything that went wrong so far: console errors, uncaught exceptions, CSP violations."""
        violations = page.evaluate("window.__cspViolations || []")
        return self.console_errors + self.page_errors + [f"CSP: {v}" for v in violations]


@pytest.fixture
def offline_ai(settings: Any) -> None:
    """Only the offline writer answers: no key or server is consulted, whatever the environment holds."""
    settings.AI_PROVIDER_PRIORITY = ["offline"]
    settings.OPENAI_API_KEY = ""
    settings.ANTHROPIC_API_KEY = ""
    settings.AI_COMPAT_BASE_URL = ""


@pytest.fixture
def notification_socket() -> FakeNotificationSocket:
    return FakeNotificationSocket()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Any,
    live_server: Any,
    notification_socket: FakeNotificationSocket,
    page_problems: PageProblems,
) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    # The first page of a session builds templates and static files cold: on a loaded machine that
    # alone passed 10 s and failed whichever browser test ran first.
    context.set_default_navigation_timeout(30_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.route_web_socket(re.compile(r".*/ws/notifications/$"), notification_socket.accept)
    page.on("console", lambda msg: msg.type == "error" and page_problems.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page_problems.page_errors.append(str(exc)))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def log_in(page: Any) -> Callable[..., Any]:
    """Log a user in through the real /accounts/login/ form; returns the page on the landing URL."""

    def _log_in(email: str, password: str = DEFAULT_PASSWORD) -> Any:
        page.goto("/accounts/login/")
        page.fill('input[name="login"]', email)
        page.fill('input[name="password"]', password)
        with page.expect_navigation():
            page.click('form.cg-form button[type="submit"]')
        return page

    return _log_in


@dataclass
class BrowserPerson:
    """One person's browser on the ASGI server: its own context (cookies), a page, what went wrong."""

    name: str
    context: Any
    page: Any
    problems: list[str] = field(default_factory=list)

    def collect_problems(self) -> list[str]:
        violations = self.page.evaluate("window.__cspViolations || []")
        return self.problems + [f"CSP: {v}" for v in violations]


@pytest.fixture
def asgi_browser(
    request: pytest.FixtureRequest,
    browser: Any,
    asgi_live_server: AsgiLiveServer,  # noqa: F811
) -> Iterator[Callable[[str], BrowserPerson]]:
    """`open_browser(name)`: a fresh context on the ASGI live server, real websocket included."""
    people: list[BrowserPerson] = []

    def open_browser(name: str) -> BrowserPerson:
        context = browser.new_context(base_url=asgi_live_server.url, viewport={"width": 1280, "height": 860})
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(30_000)
        context.add_init_script(CSP_LISTENER)
        person = BrowserPerson(name=name, context=context, page=context.new_page())
        person.page.on("console", lambda msg: msg.type == "error" and person.problems.append(msg.text))
        person.page.on("pageerror", lambda exc: person.problems.append(str(exc)))
        people.append(person)
        return person

    yield open_browser
    report = getattr(request.node, "rep_call", None)
    for person in people:
        if report is not None and report.failed:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            person.page.screenshot(path=str(RESULTS_DIR / f"{stem}-{person.name}.png"), full_page=True)
        person.context.close()
