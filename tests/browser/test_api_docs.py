"""The API reference renders in a browser under the Content-Security-Policy, with no CDN."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_schema_without_csp_violations(page, live_server, page_problems):
    page.goto("/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ContentGenAI API", timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert page_problems.collect(page) == []
