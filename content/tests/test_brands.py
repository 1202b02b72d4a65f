"""Brand pages and API: CRUD, assets in storage (type and size checked), the brand's own accounts."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from content.models import Brand, BrandAsset
from scheduling.tests.factories import ScheduledPostFactory
from social.tests.factories import SocialAccountFactory
from teams.models import ActivityEvent
from teams.tests.conftest import api_for
from teams.tests.factories import BrandFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (26, 115, 232)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()
PDF = b"%PDF-1.7\n" + b"x" * 64


@pytest.fixture
def team():
    return TeamFactory(name="Agency")


@pytest.fixture
def owner(team):
    return team.owner


@pytest.fixture
def brand(team):
    return BrandFactory(team=team, name="Acme")


@pytest.fixture
def api(owner, team):
    client = api_for(owner)
    client.credentials(HTTP_X_TEAM_ID=str(team.pk))
    return client


def upload(api, brand, name, content, kind="logo"):
    return api.post(
        reverse("api-brand-assets", args=[brand.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="image/png")},
        format="multipart",
    )


def test_a_logo_is_stored_in_the_default_storage(api, brand):
    response = upload(api, brand, "logo.png", PNG)

    assert response.status_code == 201
    asset = BrandAsset.objects.get(brand=brand)
    assert (asset.kind, asset.content_type, asset.size) == ("logo", "image/png", len(PNG))
    assert default_storage.exists(asset.file.name)
    assert response.json()["asset"]["url"].endswith(".png")
    assert ActivityEvent.objects.filter(verb="brand.asset_added").exists()


def test_a_file_pretending_to_be_an_image_is_refused(api, brand):
    response = upload(api, brand, "logo.png", b"<svg onload=alert(1)></svg>")

    assert response.status_code == 400
    assert "not accepted" in response.json()["error"]["message"]
    assert not BrandAsset.objects.exists()


def test_a_pdf_is_a_file_but_not_a_logo(api, brand):
    assert upload(api, brand, "guide.pdf", PDF, kind="logo").status_code == 400
    assert upload(api, brand, "guide.pdf", PDF, kind="file").status_code == 201


def test_a_file_over_the_limit_is_refused(api, brand, settings):
    settings.TEAMS_BRAND_ASSET_MAX_BYTES = 32

    response = upload(api, brand, "logo.png", PNG)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["file"]
    assert not BrandAsset.objects.exists()


def test_a_colour_must_be_hex(api, brand):
    bad = api.post(reverse("api-brand-assets", args=[brand.pk]), {"kind": "color", "color": "blue"})
    good = api.post(reverse("api-brand-assets", args=[brand.pk]), {"kind": "color", "color": "#1a73e8", "name": "Sky"})

    assert bad.status_code == 400
    assert good.status_code == 201
    assert good.json()["asset"]["color"] == "#1A73E8"


def test_deleting_an_asset_removes_its_file(api, brand, django_capture_on_commit_callbacks):
    upload(api, brand, "logo.png", PNG)
    asset = BrandAsset.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(reverse("api-brand-asset", args=[brand.pk, asset.pk]))

    assert response.status_code == 200
    assert not default_storage.exists(asset.file.name)


def test_linking_accounts_gives_the_brand_exactly_those(api, team, brand):
    first, second, third = SocialAccountFactory.create_batch(3, team=team)
    third.brand = brand
    third.save()

    response = api.put(
        reverse("api-brand-accounts", args=[brand.pk]), {"accountIds": [str(first.pk), str(second.pk)]}, format="json"
    )

    assert response.status_code == 200
    assert {a["id"] for a in response.json()["results"]} == {str(first.pk), str(second.pk)}
    third.refresh_from_db()
    assert third.brand is None


def test_another_teams_account_cannot_be_linked_and_nothing_changes(api, team, brand):
    mine = SocialAccountFactory(team=team)
    theirs = SocialAccountFactory()

    response = api.put(
        reverse("api-brand-accounts", args=[brand.pk]), {"accountIds": [str(mine.pk), str(theirs.pk)]}, format="json"
    )

    assert response.status_code == 400
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.brand, theirs.brand) == (None, None)


def test_another_teams_brand_is_a_404(api):
    elsewhere = BrandFactory()

    assert api.get(reverse("api-brand-assets", args=[elsewhere.pk])).status_code == 404
    assert api.get(reverse("api-brand-accounts", args=[elsewhere.pk])).status_code == 404


def test_asset_list_has_a_flat_query_count(api, brand):
    for i in range(2):
        api.post(reverse("api-brand-assets", args=[brand.pk]), {"kind": "color", "color": f"#00000{i}"})
    with CaptureQueriesContext(connection) as few:
        api.get(reverse("api-brand-assets", args=[brand.pk]))
    for i in range(8):
        api.post(reverse("api-brand-assets", args=[brand.pk]), {"kind": "color", "color": f"#10000{i}"})
    with CaptureQueriesContext(connection) as many:
        assert api.get(reverse("api-brand-assets", args=[brand.pk])).json()["count"] == 10
    assert len(many.captured_queries) == len(few.captured_queries)


# Pages ---------------------------------------------------------------------------------------------
def test_brand_pages_create_edit_and_show_assets(client, owner, team):
    owner.current_team = team
    owner.save()
    client.force_login(owner)

    created = client.post(
        reverse("content:brands"),
        {
            "name": "Bloom",
            "voice": "Cheerful",
            "default_hashtags": "spring sale\n#Bloom",
            "words_to_use": "",
            "words_to_avoid": "",
        },
    )
    brand = Brand.objects.get(team=team, name="Bloom")
    assert created.status_code == 302
    assert brand.default_hashtags == ["#springsale", "#Bloom"]
    assert ActivityEvent.objects.filter(team=team, verb="brand.created").exists()

    client.post(
        reverse("content:brand_asset_upload", args=[brand.pk]), {"kind": "color", "color": "#FF8800", "name": "Orange"}
    )
    page = client.get(reverse("content:brand", args=[brand.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'fill="#FF8800"' in html and "Orange" in html
    assert "style=" not in html


def test_a_viewer_sees_the_brand_but_cannot_edit(client, team, brand):
    from teams.tests.factories import MembershipFactory

    viewer = MembershipFactory(team=team, role="viewer").user
    viewer.current_team = team
    viewer.save()
    client.force_login(viewer)

    assert client.get(reverse("content:brand", args=[brand.pk])).status_code == 200
    assert client.post(reverse("content:brand", args=[brand.pk]), {"name": "Hacked"}).status_code == 403
    brand.refresh_from_db()
    assert brand.name == "Acme"


def test_the_calendar_filters_by_brand(client, owner, team, brand):
    owner.current_team = team
    owner.save()
    branded = SocialAccountFactory(team=team, brand=brand, account_name="Acme account")
    other = SocialAccountFactory(team=team, account_name="Other account")
    ScheduledPostFactory(social_account=branded, post__team=team, post__title="Acme launch")
    ScheduledPostFactory(social_account=other, post__team=team, post__title="Unrelated news")
    client.force_login(owner)

    html = client.get(reverse("scheduling:calendar"), {"view": "list", "brand": str(brand.pk)}).content.decode()

    listed = html.split('data-testid="calendar-list"', 1)[1].split("</table>", 1)[0]
    assert "Acme launch" in listed
    assert "Unrelated news" not in listed


def _gif_js_polyglot() -> bytes:
    """Valid GIF89a whose bytes also parse as JavaScript (`GIF89a=...;alert(1)//` is an assignment)."""
    out = io.BytesIO()
    Image.new("P", (1, 1)).save(out, format="GIF")
    gif = out.getvalue()
    # The logical screen width/height bytes become "=/" and the trailer carries the script.
    return gif[:6] + b"\x2f\x2a" + gif[8:] + b"*/=1;alert(document.domain)//"


@pytest.mark.parametrize("kind", ["logo", "file"])
def test_a_gif_javascript_polyglot_named_js_is_stored_as_a_gif(api, brand, kind):
    response = upload(api, brand, "x.js", _gif_js_polyglot(), kind=kind)

    # It is a valid GIF, so it is accepted: as a GIF, under a name that says so.
    assert response.status_code == 201, response.content
    asset = BrandAsset.objects.get()
    assert asset.content_type == "image/gif"
    assert asset.file.name.endswith(".gif") and "x.js" not in asset.file.name
    assert response.json()["asset"]["url"].endswith(".gif")


def test_the_stored_name_never_keeps_the_uploaded_extension(api, brand):
    response = upload(api, brand, "logo.html", PNG)

    assert response.status_code == 201
    assert BrandAsset.objects.get().file.name.endswith(".png")
