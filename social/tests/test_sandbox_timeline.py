"""The sandbox is a destination a user can see: a timeline page per workspace, and "View post"
opens the delivery inside the app, with the simulated figures marked as simulated."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from social.models import SandboxPost

pytestmark = pytest.mark.django_db


def _publish(api, post) -> dict:
    response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    assert result["status"] == "SUCCESS"
    return result


def test_view_post_opens_the_delivery_inside_the_app(client, user, api, connect_sandbox, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    connect_sandbox()
    post = ContentPostFactory(
        author=user, title="Bakery news", content="Fresh bread at https://bakery.example/today #Lisbon", hashtags=[]
    )
    client.force_login(user)

    result = _publish(api, post)

    url = urlsplit(result["url"])
    assert (url.scheme, url.netloc) == ("http", "127.0.0.1:8123")
    delivery = SandboxPost.objects.get()
    assert url.path == reverse("social:sandbox_delivery", args=[delivery.pk])
    page = client.get(url.path)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<a href="https://bakery.example/today" rel="nofollow noopener" target="_blank">' in html
    assert '<span class="timeline-tag">#Lisbon</span>' in html
    assert 'data-testid="simulated-metrics"' in html and "Simulated" in html
    assert reverse("content:post_detail", args=[post.pk]) in html and "Bakery news" in html


def test_the_timeline_lists_deliveries_newest_first_with_thread_and_comment(client, user, api, connect_sandbox):
    connect_sandbox()
    first = ContentPostFactory(author=user, content="The first one", hashtags=[])
    second = ContentPostFactory(
        author=user, content="The second one", hashtags=[], metadata={"first_comment": "Link in here"}
    )
    _publish(api, first)
    _publish(api, second)
    client.force_login(user)

    html = client.get(reverse("social:sandbox")).content.decode()

    assert html.count('data-testid="sandbox-delivery"') == 2
    assert html.index("The second one") < html.index("The first one")
    assert 'data-testid="first-comment"' in html and "Link in here" in html


def test_text_is_escaped_not_run(client, user, api, connect_sandbox):
    connect_sandbox()
    _publish(api, ContentPostFactory(author=user, content="<script>alert(1)</script> #tag", hashtags=[]))
    client.force_login(user)

    html = client.get(reverse("social:sandbox")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_two_workspaces_on_the_same_sandbox_profile_see_only_their_own(client, user, api, connect_sandbox):
    connect_sandbox("shared-profile")
    _publish(api, ContentPostFactory(author=user, content="Ours only", hashtags=[]))
    other = UserFactory()
    other_api = APIClient()
    other_api.force_authenticate(other)
    response = other_api.post(
        "/api/social/connect", {"platform": "sandbox", "authCode": "shared-profile"}, format="json"
    )
    assert response.status_code == 201
    _publish(other_api, ContentPostFactory(author=other, content="Theirs only", hashtags=[]))
    theirs = SandboxPost.objects.get(text__startswith="Theirs only")
    client.force_login(user)

    html = client.get(reverse("social:sandbox")).content.decode()

    assert "Ours only" in html and "Theirs only" not in html
    assert client.get(reverse("social:sandbox_delivery", args=[theirs.pk])).status_code == 404


def test_the_timeline_pages_and_its_queries_stay_flat(client, user, api, connect_sandbox):
    connect_sandbox()
    for n in range(3):
        _publish(api, ContentPostFactory(author=user, content=f"Post number {n}", hashtags=[]))
    client.force_login(user)
    client.get(reverse("social:sandbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("social:sandbox"))
    for n in range(3, 34):
        _publish(api, ContentPostFactory(author=user, content=f"Post number {n}", hashtags=[]))

    with CaptureQueriesContext(connection) as many:
        first_page = client.get(reverse("social:sandbox")).content.decode()

    assert len(many.captured_queries) == len(few.captured_queries)
    assert first_page.count('data-testid="sandbox-delivery"') == 30
    older = first_page.split('data-testid="older"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second_page = client.get(reverse("social:sandbox") + older).content.decode()
    assert second_page.count('data-testid="sandbox-delivery"') == 4
    assert "Post number 0" in second_page and "Post number 33" not in second_page
