"""Languages in a real browser: the switcher on the login page and in the top bar, Arabic laid out right to left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User, UserPreferences

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def ada(db):
    return User.objects.create_user("ada@example.com", PASSWORD, first_name="Ada")


def _switch_to(page, language_name: str) -> None:
    page.get_by_test_id("language-switcher").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name=language_name, exact=True).click()


def _html(page) -> tuple[str | None, str | None]:
    root = page.locator("html")
    return root.get_attribute("lang"), root.get_attribute("dir")


def test_the_login_page_switches_language_before_signing_in(page, live_server, page_problems):
    page.goto("/accounts/login/", timeout=60_000)  # may be the live server's first, cold request
    assert _html(page) == ("en", "ltr")

    _switch_to(page, "Español")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert _html(page) == ("es", "ltr")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_label("Contraseña", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []


def test_switching_to_arabic_lays_the_dashboard_out_right_to_left_and_back(page, log_in, ada, page_problems):
    # given Ada on her dashboard in English
    log_in(ada.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert _html(page) == ("en", "ltr")
    sidebar, main = page.locator("#app-sidebar"), page.locator("#main")
    ltr_sidebar, ltr_main = sidebar.bounding_box(), main.bounding_box()
    assert ltr_sidebar["x"] < ltr_main["x"]  # sidebar on the left

    # when she picks Arabic in the top bar
    _switch_to(page, "العربيّة")

    # then the same page comes back in Arabic, right to left, with the sidebar on the right
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert _html(page) == ("ar", "rtl")
    expect(sidebar.get_by_role("link", name="لوحة التحكم")).to_be_visible()
    expect(sidebar.get_by_role("link", name="التقويم")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("أهلًا بك يا Ada"))).to_be_visible()
    viewport = page.viewport_size
    rtl_sidebar, rtl_main = sidebar.bounding_box(), main.bounding_box()
    assert rtl_sidebar["x"] > rtl_main["x"]
    assert rtl_sidebar["x"] + rtl_sidebar["width"] == pytest.approx(viewport["width"], abs=20)
    assert page.evaluate("getComputedStyle(document.querySelector('.sidebar-nav .nav-link')).direction") == "rtl"
    assert UserPreferences.objects.get(user=ada).language == "ar"
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []

    # and the choice follows her to the next page
    page.goto("/settings/")
    assert _html(page) == ("ar", "rtl")
    expect(page.locator("select[name=language]")).to_have_value("ar")

    # when she switches back to English
    _switch_to(page, "English")

    # then the layout is left to right again
    assert _html(page) == ("en", "ltr")
    page.goto("/dashboard/")
    expect(sidebar.get_by_role("link", name="Dashboard")).to_be_visible()
    assert sidebar.bounding_box()["x"] < main.bounding_box()["x"]
    assert UserPreferences.objects.get(user=ada).language == "en"
    assert page_problems.collect(page) == []
