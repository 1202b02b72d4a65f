"""The Integrations pages: what a person sees and can do, in their language, in flat queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import UserPreferences
from integrations.models import Feed, FeedItem, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.signing import signature_header

pytestmark = pytest.mark.django_db


def _endpoint(team, n: int = 0) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        team=team, url=f"https://hooks.example.com/{n}", events=["post.published"], secret="whsec_x"
    )
    for d in range(3):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=f"evt_{n}_{d}", event_type="post.published", payload={}
        )
        WebhookAttempt.objects.create(delivery=delivery, number=1, response_status=500, response_body="oops")
        WebhookAttempt.objects.create(delivery=delivery, number=2, response_status=200, succeeded=True)
    return endpoint


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_delivery_log_page_shows_each_attempt_in_flat_queries(client, user, team):
    client.force_login(user)
    endpoint = _endpoint(team)
    url = f"/integrations/webhooks/{endpoint.pk}/"
    client.get(url)
    few = _queries(client, url)

    for d in range(10):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=f"evt_more_{d}", event_type="x", payload={}
        )
        WebhookAttempt.objects.create(delivery=delivery, number=1, response_status=502)

    assert _queries(client, url) <= few
    page = client.get(url).content.decode()
    assert page.count('data-testid="delivery-row"') == 13 and "HTTP 502" in page and "oops" in page


def test_list_pages_run_the_same_queries_as_the_team_grows(client, user, team):
    client.force_login(user)
    _endpoint(team, 0)
    Feed.objects.create(team=team, url="https://blog.example.com/0.xml")
    counts = {url: _queries(client, url) for url in ("/integrations/webhooks/", "/integrations/feeds/")}

    for n in range(1, 6):
        _endpoint(team, n)
        feed = Feed.objects.create(team=team, url=f"https://blog.example.com/{n}.xml")
        FeedItem.objects.create(team=team, feed=feed, guid=f"g{n}")

    for url, few in counts.items():
        assert _queries(client, url) <= few, url


@pytest.mark.parametrize(("language", "expected"), [("es", "Registro de entregas"), ("ar", "سجل التسليم")])
def test_the_pages_speak_the_users_language(client, user, team, language, expected):
    UserPreferences.objects.update_or_create(user=user, defaults={"language": language})
    client.force_login(user)
    endpoint = _endpoint(team)

    detail = client.get(f"/integrations/webhooks/{endpoint.pk}/").content.decode()

    assert expected in detail


def test_disable_and_enable_from_the_page(client, user, team):
    client.force_login(user)
    endpoint = _endpoint(team)

    client.post(f"/integrations/webhooks/{endpoint.pk}/toggle/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(f"/integrations/webhooks/{endpoint.pk}/toggle/")
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_the_documented_python_snippet_verifies_our_signature():
    doc = (Path(settings.BASE_DIR) / "docs" / "webhooks.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102  (our own documentation, run as a receiver would)
    verify = namespace["verify"]
    body = b'{"id":"evt_1","type":"post.published"}'
    import time

    header = signature_header(secret="whsec_doc", timestamp=int(time.time()), body=body)

    assert verify("whsec_doc", header, body)
    assert not verify("whsec_other", header, body)
    assert not verify("whsec_doc", header, body + b"\n")
    old = signature_header(secret="whsec_doc", timestamp=int(time.time()) - 3600, body=body)
    assert not verify("whsec_doc", old, body)
