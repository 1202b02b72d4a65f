"""The templates library in the dashboard: create, edit (versions), restore, gallery, copy, use in the composer."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import UserFactory
from content.models import ContentTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_create_edit_and_restore_a_template(client, owner):
    created = client.post(
        "/templates/", {"name": "Launch", "body": "We launched {product} today!", "platform": "linkedin", "tone": ""}
    )
    template = ContentTemplate.objects.get(team=owner.current_team)
    assert created.status_code == 302 and created["Location"] == f"/templates/{template.pk}/"

    client.post(
        f"/templates/{template.pk}/",
        {"name": "Launch", "body": "Big news: {product} is here.", "platform": "linkedin", "tone": "fun"},
    )
    template.refresh_from_db()
    assert template.version == 2 and template.body == "Big news: {product} is here."
    page = client.get(f"/templates/{template.pk}/").content.decode()
    assert page.count('data-testid="restore-version"') == 1  # v1 can be restored, the current one not

    client.post(f"/templates/{template.pk}/versions/1/restore/")
    template.refresh_from_db()
    assert template.version == 3 and template.body == "We launched {product} today!"


def test_a_template_without_a_name_is_refused_and_nothing_is_saved(client, owner):
    response = client.post("/templates/", {"name": "", "body": "x"})

    assert response.status_code == 400
    assert not ContentTemplate.objects.exists()


def test_the_gallery_lists_public_templates_and_copies_one_here(client, owner):
    other = UserFactory()
    public = ContentTemplate.objects.create(
        team=other.current_team, name="Weekly tips", body="Tip: {tip}", is_public=True
    )
    ContentTemplate.objects.create(team=other.current_team, name="Private plan", body="secret")

    gallery = client.get("/templates/?tab=gallery").content.decode()
    assert "Weekly tips" in gallery and "Private plan" not in gallery

    response = client.post(f"/templates/{public.pk}/copy/")
    copy = ContentTemplate.objects.get(team=owner.current_team)
    assert response["Location"] == f"/templates/{copy.pk}/"
    assert (copy.name, copy.body, copy.copied_from_id, copy.is_public) == (
        "Weekly tips",
        "Tip: {tip}",
        public.pk,
        False,
    )


def test_another_teams_private_template_cannot_be_copied_or_opened(client, owner):
    private = ContentTemplate.objects.create(team=UserFactory().current_team, name="Private", body="secret")

    assert client.post(f"/templates/{private.pk}/copy/").status_code == 404
    assert client.get(f"/templates/{private.pk}/").status_code == 404
    assert client.get(f"/generate/?template={private.pk}").status_code == 404


def test_use_in_composer_preselects_the_template_its_platform_and_tone(client, owner):
    template = ContentTemplate.objects.create(
        team=owner.current_team, name="Promo", body="{offer}", platform="twitter", tone="fun"
    )

    html = client.get(f"/generate/?template={template.pk}").content.decode()

    assert f'<option value="{template.pk}" selected>Promo</option>' in html
    assert re.findall(r'name="platforms" value="(\w+)"[^>]*checked', html) == ["twitter"]
    assert '<option value="fun" selected>' in html


def test_sidebar_links_the_library(client, owner):
    assert 'data-testid="nav-templates"' in client.get("/dashboard/").content.decode()
