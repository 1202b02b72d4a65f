"""Export and import: formats, filters, third-party files, all-or-nothing imports, tenancy."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from analytics.models import ContentAnalytics
from content.models import ContentPost, PostStatus
from content.tests.factories import ContentPostFactory
from scheduling.models import DataExport, ScheduledPost
from scheduling.portability import importers
from scheduling.services import post_schedule
from social.tests.factories import SocialAccountFactory
from teams.models import ActivityEvent
from teams.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
UTC_ZONE = __import__("zoneinfo").ZoneInfo("UTC")


@pytest.fixture
def owner():
    return UserFactory(email="owner@cafe.example", first_name="Olive", last_name="Owner")


@pytest.fixture
def team(owner):
    return owner.current_team


@pytest.fixture
def account(team):
    return SocialAccountFactory(team=team, platform="sandbox", account_name="Sandbox Cafe", account_id="cafe-1")


@pytest.fixture
def api(owner, django_capture_on_commit_callbacks):
    """Runs on-commit callbacks (the build task, eager in tests) as a committed request would."""

    class Client(APIClient):
        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return super().post(*args, **kwargs)

    client = Client()
    client.force_authenticate(owner)
    return client


def _export(api, **body):
    response = api.post("/api/exports/", {"format": "JSON", **body}, format="json")
    assert response.status_code == 202, response.content
    export_id = response.json()["export"]["id"]
    download = api.get(f"/api/exports/{export_id}/download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def _upload(api, path: str, source: str, content: bytes, **extra):
    return api.post(path, {"source": source, "file": io.BytesIO(content), **extra}, format="multipart")


# ---- export ------------------------------------------------------------------------------------
def test_json_export_holds_posts_schedules_analytics_and_metadata(api, owner, team, account):
    post = ContentPostFactory(author=owner, team=team, content="Winter menu", platform="sandbox")
    at = timezone.now() + timedelta(days=3)
    post_schedule(post=post, accounts=[account], at=at, tz="Europe/London")
    ContentAnalytics.objects.create(post=post, platform="sandbox", views=120, likes=7)

    data = json.loads(_export(api))

    assert [p["content"] for p in data["posts"]] == ["Winter menu"]
    assert data["posts"][0]["accounts"] == ["Sandbox Cafe"] and data["posts"][0]["timezone"] == "Europe/London"
    assert data["schedules"][0]["account"] == "Sandbox Cafe"
    assert data["analytics"][0]["views"] == 120 and data["analytics"][0]["likes"] == 7
    assert data["metadata"]["members"][0]["email"] == "owner@cafe.example"
    assert "access-token" not in json.dumps(data) and "refresh-token" not in json.dumps(data)


def test_export_selects_by_type_and_date_range(api, owner, team):
    old = ContentPostFactory(author=owner, team=team, content="Old one")
    ContentPost.objects.filter(pk=old.pk).update(created_at=datetime(2024, 1, 10, 12, tzinfo=UTC))
    ContentPostFactory(author=owner, team=team, content="New one")

    data = json.loads(_export(api, types=["posts"], dateFrom="2024-01-01", dateTo="2024-01-31"))

    assert [p["content"] for p in data["posts"]] == ["Old one"]
    assert set(data) & {"schedules", "analytics", "metadata"} == set()


def test_csv_export_is_a_zip_of_one_file_per_type(api, owner, team):
    ContentPostFactory(author=owner, team=team, content="Hello, CSV")
    archive = zipfile.ZipFile(io.BytesIO(_export(api, format="CSV")))
    assert {"posts.csv", "schedules.csv", "analytics.csv", "metadata.csv"} <= set(archive.namelist())
    assert "Hello, CSV" in archive.read("posts.csv").decode()


def test_xml_export_parses_with_a_safe_parser(api, owner, team):
    ContentPostFactory(author=owner, team=team, content="Ünïcode <and> & markup", hashtags=["#one", "#two"])
    root = SafeET.fromstring(_export(api, format="XML"))
    post = root.find("posts/post")
    assert post.findtext("content") == "Ünïcode <and> & markup"
    assert [i.text for i in post.findall("hashtags/item")] == ["#one", "#two"]
    assert root.find("metadata/members/member/email").text == "owner@cafe.example"


# Property 43: GDPR Compliance and Data Privacy (no email, name, handle or token in an anonymised export)
def test_anonymised_export_has_no_email_name_handle_or_token(api, owner, team, account):
    ContentPostFactory(
        author=owner,
        team=team,
        content="Write to owner@cafe.example",
        metadata={"approval": {"by": "owner@cafe.example"}},
    )
    for export_format in ("JSON", "XML", "CSV"):
        raw = _export(api, format=export_format, anonymize=True)
        if export_format == "CSV":
            raw = b"".join(
                zipfile.ZipFile(io.BytesIO(raw)).read(n) for n in zipfile.ZipFile(io.BytesIO(raw)).namelist()
            )
        text = raw.decode()
        for secret in ("owner@cafe.example", "Olive", "Sandbox Cafe", "access-token", "refresh-token"):
            assert secret not in text, (export_format, secret)
        assert "@example.invalid" in text


def test_pseudonyms_are_stable_across_exports(api, owner, team, account):
    ContentPostFactory(author=owner, team=team)
    first = json.loads(_export(api, anonymize=True))
    second = json.loads(_export(api, anonymize=True))
    assert first["posts"][0]["author_email"] == second["posts"][0]["author_email"]
    assert first["metadata"]["accounts"] == second["metadata"]["accounts"]


def test_export_request_validates_its_input(api):
    response = api.post("/api/exports/", {"format": "PDF"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"
    response = api.post(
        "/api/exports/", {"format": "JSON", "dateFrom": "2025-02-01", "dateTo": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert DataExport.objects.count() == 0


def test_export_list_query_count_is_flat(api, owner, team):
    def count(n: int) -> int:
        DataExport.objects.all().delete()
        for _ in range(n):
            DataExport.objects.create(team=team, requested_by=owner, format="JSON", kinds=["posts"])
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/exports/").status_code == 200
        return len(queries)

    assert count(2) == count(10)


def test_export_query_count_does_not_grow_with_rows(owner, team, account):
    from scheduling.portability.dataset import ExportFilters, export_dataset

    def count(n: int) -> int:
        for _ in range(n):
            post = ContentPostFactory(author=owner, team=team, platform="sandbox")
            post_schedule(post=post, accounts=[account], at=timezone.now() + timedelta(days=1), tz="UTC")
            ContentAnalytics.objects.create(post=post, platform="sandbox", views=1)
        with CaptureQueriesContext(connection) as queries:
            export_dataset(team=team, filters=ExportFilters())
        return len(queries)

    assert count(2) == count(8)


def test_another_teams_export_is_a_404(api, owner, team):
    other = UserFactory()
    theirs = DataExport.objects.create(team=other.current_team, requested_by=other, format="JSON", kinds=["posts"])
    assert api.get(f"/api/exports/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/exports/{theirs.pk}/download/").status_code == 404
    assert api.get(f"/api/exports/{theirs.pk}/", HTTP_X_TEAM_ID=str(other.current_team.pk)).status_code == 404
    assert api.get("/api/exports/", HTTP_X_TEAM_ID=str(other.current_team.pk)).status_code == 404


# ---- import ------------------------------------------------------------------------------------
OUR_CSV = (
    "title,content,hashtags,platform,scheduled_at,timezone,accounts\n"
    'Menu,"Winter menu, finally",#coffee #winter,sandbox,2031-12-01T09:00:00,Europe/London,Sandbox Cafe\n'
    "Note,Just a draft,,,,,\n"
)


def test_preview_lists_rows_and_saves_nothing(api, team, account):
    response = _upload(api, "/api/imports/preview/", "contentgenai", OUR_CSV.encode())
    body = response.json()
    assert response.status_code == 200 and body["errors"] == []
    assert [r["row"] for r in body["rows"]] == [2, 3]
    assert body["rows"][0]["scheduledAt"] == "2031-12-01T09:00:00Z"  # 09:00 in London in December is UTC
    assert ContentPost.objects.filter(team=team).count() == 0 and ScheduledPost.objects.count() == 0


def test_import_creates_posts_and_schedules_through_the_scheduler(api, team, account):
    response = _upload(api, "/api/imports/", "contentgenai", OUR_CSV.encode())
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2 and response.json()["scheduled"] == 1
    menu = ContentPost.objects.get(team=team, title="Menu")
    assert menu.status == PostStatus.SCHEDULED and menu.hashtags == ["#coffee", "#winter"]
    row = ScheduledPost.objects.get(post=menu)
    assert (row.social_account, row.timezone) == (account, "Europe/London")
    assert row.scheduled_at == datetime(2031, 12, 1, 9, tzinfo=UTC)
    assert ContentPost.objects.get(team=team, title="Note").status == PostStatus.DRAFT
    assert ActivityEvent.objects.filter(team=team, verb="data.imported").count() == 1


def test_a_malformed_import_changes_nothing(api, team, account):
    bad = (
        OUR_CSV
        + "Broken,Fine text,,sandbox,not-a-date,,\n"
        + "Unknown,Text,,myspace,,,\n"
        + "Nobody,Text,,sandbox,2031-01-01T10:00:00Z,,Ghost\n"
    )
    before = (ContentPost.objects.count(), ScheduledPost.objects.count())

    response = _upload(api, "/api/imports/", "contentgenai", bad.encode())

    body = response.json()
    assert response.status_code == 400 and body["error"]["code"] == "VALIDATION_ERROR"
    rows = body["error"]["details"]["rows"]
    assert [(r["row"], r["field"]) for r in rows] == [(4, "scheduled_at"), (5, "platform"), (6, "accounts")]
    assert (ContentPost.objects.count(), ScheduledPost.objects.count()) == before
    assert not ActivityEvent.objects.filter(verb="data.imported").exists()


def test_an_import_that_is_not_csv_is_a_clear_400(api, team):
    response = _upload(api, "/api/imports/", "contentgenai", b"\xff\xfe\x00binary")
    assert response.status_code == 400 and "UTF-8" in response.json()["error"]["message"]
    response = _upload(api, "/api/imports/", "nowhere", b"content\nx\n")
    assert response.status_code == 400
    assert ContentPost.objects.filter(team=team).count() == 0


def test_a_viewer_cannot_import(team):
    viewer = UserFactory()
    MembershipFactory(team=team, user=viewer, role="viewer")
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.post(
        "/api/imports/",
        {"source": "contentgenai", "file": io.BytesIO(OUR_CSV.encode())},
        format="multipart",
        HTTP_X_TEAM_ID=str(team.pk),
    )
    assert response.status_code == 403
    assert ContentPost.objects.filter(team=team).count() == 0


def test_import_into_another_team_is_a_404(api, team):
    other = UserFactory()
    response = api.post(
        "/api/imports/",
        {"source": "contentgenai", "file": io.BytesIO(OUR_CSV.encode())},
        format="multipart",
        HTTP_X_TEAM_ID=str(other.current_team.pk),
    )
    assert response.status_code == 404
    assert ContentPost.objects.filter(team=other.current_team).count() == 0


def test_hootsuite_bulk_file_parses_month_first_in_the_team_zone():
    parsed = importers.parse("hootsuite", (DATA / "hootsuite_bulk.csv").read_text(), tz=UTC_ZONE)
    assert parsed.errors == []
    assert [r.number for r in parsed.rows] == [1, 2, 3]
    assert parsed.rows[0].scheduled_at == datetime(2031, 12, 1, 9, tzinfo=UTC)
    assert parsed.rows[0].content == "Our winter menu is here: six new drinks https://example.com/winter"
    assert parsed.rows[1].content == "Thank you, regulars! Quotes, commas and all"
    assert parsed.rows[2].content == "Read the full story https://example.com/story"  # the link is not repeated


def test_hootsuite_day_first_and_bad_dates():
    parsed = importers.parse("hootsuite", "13/01/2031 09:00,Hi,\n31/31/2031 09:00,Bad,\n", tz=UTC_ZONE, day_first=True)
    assert parsed.rows[0].scheduled_at == datetime(2031, 1, 13, 9, tzinfo=UTC)
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "date")]


def test_buffer_file_parses_and_imports_past_posts_as_drafts(api, team, account):
    raw = (DATA / "buffer_posts.csv").read_bytes()
    parsed = importers.parse("buffer", raw.decode(), tz=UTC_ZONE)
    assert parsed.errors == []
    assert [(r.number, r.platform, r.accounts) for r in parsed.rows] == [
        (2, "sandbox", ["Sandbox Cafe"]),
        (3, "sandbox", ["Sandbox Cafe"]),
        (4, "sandbox", ["Sandbox Cafe"]),
    ]
    assert parsed.rows[0].content == "Our winter menu is here https://example.com/winter"

    response = _upload(api, "/api/imports/", "buffer", raw)
    assert response.status_code == 201, response.content
    assert response.json()["scheduled"] == 2
    assert response.json()["notes"][0]["row"] == 4
    assert ContentPost.objects.get(team=team, content="An old post Buffer already sent").status == PostStatus.DRAFT


def test_postiz_file_parses_html_content_and_channels():
    parsed = importers.parse("postiz", (DATA / "postiz_posts.csv").read_text(), tz=UTC_ZONE)
    assert parsed.errors == []
    assert parsed.rows[0].content == "Our winter menu is here"
    assert parsed.rows[1].content == "Thank you, regulars! & friends\nSee you soon"
    assert parsed.rows[1].scheduled_at == datetime(2031, 12, 2, 17, 30, tzinfo=UTC)
    assert parsed.rows[0].platform == "sandbox" and parsed.rows[0].accounts == ["Sandbox Cafe"]


def test_third_party_headers_missing_are_reported_on_row_1():
    for source in ("buffer", "postiz", "contentgenai"):
        parsed = importers.parse(source, "foo,bar\n1,2\n", tz=UTC_ZONE)
        assert parsed.rows == [] and parsed.errors[0].row == 1


def test_zip_of_a_csv_export_imports_its_posts(api, owner, team, account):
    ContentPostFactory(author=owner, team=team, content="Zip me", platform="sandbox")
    raw = _export(api, format="CSV")
    response = _upload(api, "/api/imports/preview/", "contentgenai", raw)
    assert response.status_code == 200
    assert [r["content"] for r in response.json()["rows"]] == ["Zip me"]
