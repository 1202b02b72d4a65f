"""The studio's brand select: the team's brands and "No brand"; a saved draft keeps the pick; the
brand's voice and hashtags shape the generated text; another team's brand is a form error."""

from __future__ import annotations

import json

import pytest

from accounts.tests.factories import UserFactory
from content.models import ContentPost
from teams.tests.factories import BrandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client, user):
    client.force_login(user)
    return client


def test_the_studio_offers_the_teams_brands_and_no_brand(writer, user):
    ours = BrandFactory(team=user.current_team, name="Bean There")
    theirs = BrandFactory(team=UserFactory().current_team, name="Their Brand")

    html = writer.get("/generate/").content.decode()

    assert "No brand" in html and f'value="{ours.pk}"' in html and "Bean There" in html
    assert str(theirs.pk) not in html and "Their Brand" not in html


def test_a_saved_draft_gets_the_picked_brand_and_the_edit_page_preselects_it(writer, user):
    brand = BrandFactory(team=user.current_team)

    saved = writer.post("/generate/save/", {"content": "Hello", "platform": "linkedin", "brand": str(brand.pk)})

    assert saved.status_code == 200
    post = ContentPost.objects.get(pk=saved.json()["post"]["id"])
    assert post.brand == brand
    html = writer.get(f"/generate/?post={post.pk}").content.decode()
    assert f'<option value="{brand.pk}" selected>' in html

    cleared = writer.post(
        "/generate/save/", {"post_id": str(post.pk), "content": "Hello", "platform": "linkedin", "brand": ""}
    )
    assert cleared.status_code == 200
    post.refresh_from_db()
    assert post.brand is None


def test_another_teams_brand_is_a_form_error_and_nothing_is_saved(writer, user):
    theirs = BrandFactory(team=UserFactory().current_team)
    mine = BrandFactory(team=user.current_team)
    saved = writer.post("/generate/save/", {"content": "Kept", "platform": "linkedin", "brand": str(mine.pk)}).json()
    post = ContentPost.objects.get(pk=saved["post"]["id"])

    created = writer.post("/generate/save/", {"content": "New", "platform": "linkedin", "brand": str(theirs.pk)})
    updated = writer.post(
        "/generate/save/",
        {"post_id": str(post.pk), "content": "Changed", "platform": "linkedin", "brand": str(theirs.pk)},
    )
    garbage = writer.post("/generate/save/", {"content": "New", "platform": "linkedin", "brand": "nope"})

    for response in (created, updated, garbage):
        assert response.status_code == 400
        body = response.json()
        assert body["success"] is False and "brand" in body["error"]["details"]
    assert ContentPost.objects.count() == 1
    post.refresh_from_db()
    assert post.content == "Kept" and post.brand == mine


def test_generation_with_a_brand_uses_its_default_hashtags(writer, user):
    brand = BrandFactory(team=user.current_team, default_hashtags=["#BrewTogether"])

    response = writer.post(
        "/generate/stream/",
        {
            "topic": "Our autumn blend",
            "platforms": ["linkedin"],
            "tone": "professional",
            "language": "en",
            "brand": brand.pk,
        },
    )
    body = b"".join(response.streaming_content).decode()

    done = [
        json.loads(line[len("data: ") :])
        for line in body.splitlines()
        if line.startswith("data: ") and '"hashtags"' in line
    ]
    assert done and "#BrewTogether" in done[0]["hashtags"]


def test_generation_with_another_teams_brand_is_refused(writer):
    theirs = BrandFactory(team=UserFactory().current_team)

    response = writer.post(
        "/generate/stream/",
        {
            "topic": "Our autumn blend",
            "platforms": ["linkedin"],
            "tone": "professional",
            "language": "en",
            "brand": theirs.pk,
        },
    )

    assert response.status_code == 404
