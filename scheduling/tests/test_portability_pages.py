"""The Export & import page: request, download, preview, confirm; tenancy and query counts."""

from __future__ import annotations

import base64
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from content.models import ContentPost
from content.tests.factories import ContentPostFactory
from scheduling.models import DataExport
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

CSV = b"title,content,platform\nMenu,Winter menu,sandbox\nNote,Just a draft,\n"


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def page(client, owner):
    client.force_login(owner)
    return client


def test_page_renders_forms_and_is_in_the_sidebar(page):
    response = page.get(reverse("scheduling:portability"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="export-form"' in html and 'data-testid="import-form"' in html
    assert 'href="/portability/"' in html


def test_export_from_the_page_then_download(page, owner, django_capture_on_commit_callbacks):
    ContentPostFactory(author=owner, team=owner.current_team, content="From the page")
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(reverse("scheduling:portability-export"), {"format": "JSON", "types": ["posts"]})
    assert response.status_code == 302
    export = DataExport.objects.get(team=owner.current_team)
    assert export.status == DataExport.Status.READY  # eager in tests; a worker builds it in production

    listing = page.get(reverse("scheduling:portability")).content.decode()
    url = reverse("scheduling:portability-download", args=[export.pk])
    assert url in listing
    download = page.get(url)
    assert download.status_code == 200 and b"From the page" in b"".join(download.streaming_content)


def test_invalid_export_form_is_a_400_with_the_error_next_to_the_field(page):
    response = page.post(
        reverse("scheduling:portability-export"),
        {"format": "JSON", "types": ["posts"], "date_from": "2025-02-01", "date_to": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "The range ends before it starts." in response.content.decode()
    assert DataExport.objects.count() == 0


def test_preview_then_confirm_imports(page, owner):
    SocialAccountFactory(team=owner.current_team, platform="sandbox")
    preview = page.post(
        reverse("scheduling:portability-preview"), {"source": "contentgenai", "file": io.BytesIO(CSV), "platform": ""}
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Winter menu" in html and 'data-testid="confirm-form"' in html
    assert ContentPost.objects.filter(team=owner.current_team).count() == 0

    done = page.post(
        reverse("scheduling:portability-import"),
        {"payload": base64.b64encode(CSV).decode(), "source": "contentgenai", "platform": "", "day_first": "False"},
    )
    assert done.status_code == 302
    assert ContentPost.objects.filter(team=owner.current_team).count() == 2


def test_preview_of_a_bad_file_shows_row_errors_and_no_confirm_button(page, owner):
    bad = CSV + b"Oops,,sandbox\n"
    response = page.post(reverse("scheduling:portability-preview"), {"source": "contentgenai", "file": io.BytesIO(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 4 (content)" in html and 'data-testid="confirm-form"' not in html
    assert ContentPost.objects.filter(team=owner.current_team).count() == 0


def test_another_teams_export_download_is_a_404(page):
    other = UserFactory()
    theirs = DataExport.objects.create(team=other.current_team, format="JSON", kinds=["posts"], status="READY")
    assert page.get(reverse("scheduling:portability-download", args=[theirs.pk])).status_code == 404
    assert page.get(reverse("scheduling:portability"), HTTP_X_TEAM_ID=str(other.current_team.pk)).status_code == 404


def test_page_query_count_is_flat(page, owner):
    def count(n: int) -> int:
        DataExport.objects.all().delete()
        for _ in range(n):
            DataExport.objects.create(team=owner.current_team, requested_by=owner, format="CSV", kinds=["posts"])
        with CaptureQueriesContext(connection) as queries:
            assert page.get(reverse("scheduling:portability")).status_code == 200
        return len(queries)

    assert count(2) == count(10)
