"""A new post in the composer starts from the profile's defaults, written in the UI's language."""

from __future__ import annotations

import re

import pytest

from accounts.models import UserPreferences
from accounts.tests.factories import UserFactory
from content.models import ContentPost
from content.outgoing import outgoing_for

pytestmark = pytest.mark.django_db


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\w+)"[^>]*checked', html)


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*\sselected[\s>]', select).group(1)


def test_the_profile_defaults_prefill_a_new_post(client):
    user = UserFactory()
    UserPreferences.objects.update_or_create(
        user=user, defaults={"default_platform": "x", "default_tone": "casual", "default_audience": "café owners"}
    )
    client.force_login(user)

    html = client.get("/generate/").content.decode()

    assert _checked(html, "platforms") == ["twitter"]
    assert _selected(html, "tone") == "casual"
    assert 'value="café owners"' in html


def test_the_writing_language_follows_the_ui_language(client):
    user = UserFactory()
    UserPreferences.objects.update_or_create(user=user, defaults={"language": "es"})
    client.force_login(user)

    html = client.get("/generate/").content.decode()

    assert _selected(html, "language") == "es"


def test_without_preferences_linkedin_in_english(client):
    user = UserFactory()
    UserPreferences.objects.filter(user=user).delete()
    client.force_login(user)

    html = client.get("/generate/").content.decode()

    assert _checked(html, "platforms") == ["linkedin"]
    assert _selected(html, "language") == "en"


def test_the_composer_saves_the_first_comment_where_publishing_reads_it(client):
    user = UserFactory()
    client.force_login(user)
    draft = {
        "content": "New rye\r\nloaf",
        "platform": "twitter",
        "first_comment": "Order at the link",
        "language": "en",
    }

    created = client.post("/generate/save/", draft).json()["post"]
    post = ContentPost.objects.get(pk=created["id"])
    assert post.content == "New rye\nloaf" and post.metadata["first_comment"] == "Order at the link"
    assert outgoing_for(post).moderated == "New rye\nloaf\n\nOrder at the link"

    client.post("/generate/save/", {**draft, "post_id": created["id"], "first_comment": ""})
    post.refresh_from_db()
    assert "first_comment" not in post.metadata and post.metadata["source"] == "studio"


def _options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


@pytest.mark.parametrize("ui_language", ["es", "ar"])
def test_each_writing_language_is_named_in_itself_whatever_the_ui_language(client, ui_language):
    user = UserFactory()
    UserPreferences.objects.update_or_create(user=user, defaults={"language": ui_language})
    client.force_login(user)

    html = client.get("/generate/").content.decode()

    names = _options(html, "language")
    assert names["en"] == "English"
    assert names["es"] == "Español"
    assert names["ar"] == "العربيّة"
    assert names["fr"] == "Français"
    assert _selected(html, "language") == ui_language


def test_editing_a_post_without_a_recorded_language_starts_in_the_ui_language(client):
    user = UserFactory()
    UserPreferences.objects.update_or_create(user=user, defaults={"language": "es"})
    post = ContentPost.objects.create(
        team=user.current_team, author=user, title="Pan de centeno", content="Pan", platform="linkedin", metadata={}
    )
    client.force_login(user)

    html = client.get(f"/generate/?post={post.pk}").content.decode()

    assert _selected(html, "language") == "es"
