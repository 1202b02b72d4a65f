"""What a developer running `make run` (DEBUG on) sees for a missing page, and the favicon."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_a_missing_page_looks_like_the_product_even_with_debug_on(client, django_user_model):
    user = django_user_model.objects.create_user(email="someone@example.com", password="x" * 12)
    client.force_login(user)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "NOARCHIVE" not in html and "DEBUG = True" not in html
    assert 'href="/static/img/favicon.svg"' in html or "favicon.svg" in html  # the product's own layout
    assert "Go to the home page" in html


@override_settings(DEBUG=True)
def test_a_missing_api_path_with_debug_on_answers_the_error_envelope(client):
    response = client.get("/api/no-such-endpoint/")

    assert response.status_code == 404
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == "NOT_FOUND"


@override_settings(DEBUG=True)
def test_a_post_of_another_team_with_debug_on_is_the_product_404_with_its_sentence(client, django_user_model):
    from content.tests.factories import ContentPostFactory

    stranger_post = ContentPostFactory()
    user = django_user_model.objects.create_user(email="me@example.com", password="x" * 12)
    client.force_login(user)

    response = client.get(reverse("content:post_detail", args=[stranger_post.pk]))

    assert response.status_code == 404
    assert "NOARCHIVE" not in response.content.decode()


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content) if icon.streaming else b"<svg" in icon.content
