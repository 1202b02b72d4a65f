"""Template versions (Property 32) and the studio/library pages (tenancy, streaming, counters, save)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.tests.factories import UserFactory
from content.models import ContentPost
from content.template_services import template_create, template_restore, template_update
from content.tests.factories import ContentPostFactory
from teams.permissions import team_context

pytestmark = pytest.mark.django_db


# Property 32: Template Management and Version Control
class TestTemplateVersionHistory(TestCase):
    @settings(max_examples=15, deadline=None)
    # (no NUL: PostgreSQL text cannot hold it, and the API and forms refuse it before the service)
    @given(bodies=st.lists(st.text(min_size=1, max_size=80).filter(lambda s: "\x00" not in s), min_size=1, max_size=6))
    def test_every_edit_is_a_version_with_a_diff_and_any_version_restores(self, bodies):
        ctx = team_context(user=UserFactory())
        template = template_create(ctx=ctx, name="T", body="v1 {topic}")
        for body in bodies:
            template = template_update(ctx=ctx, template=template, changes={"body": body})

        versions = list(template.versions.order_by("number"))
        changed = 1 + sum(1 for prev, cur in zip(["v1 {topic}", *bodies], bodies, strict=False) if prev != cur)
        assert [v.number for v in versions] == list(range(1, changed + 1)) and template.version == changed
        assert versions[-1].body == template.body
        assert all(v.diff for v in versions[1:])

        restored = template_restore(ctx=ctx, template=template, version=versions[0])
        if versions[0].body != versions[-1].body:
            assert restored.body == "v1 {topic}" and restored.version == changed + 1
            assert restored.versions.get(number=changed + 1).note == "Restored v1"


def test_template_api_versions_restore_gallery_and_copy(api, outsider_api, user):
    created = api.post(
        "/api/templates/", {"name": "Launch", "body": "Hello {topic}", "platform": "x"}, format="json"
    ).json()
    tid = created["template"]["id"]
    api.patch(f"/api/templates/{tid}/", {"body": "Hi {topic} for {audience}"}, format="json")

    versions = api.get(f"/api/templates/{tid}/versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert "-Hello {topic}" in versions[0]["diff"] and "+Hi {topic} for {audience}" in versions[0]["diff"]
    restored = api.post(f"/api/templates/{tid}/versions/1/restore/").json()["template"]
    assert restored["body"] == "Hello {topic}" and restored["version"] == 3 and restored["placeholders"] == ["topic"]

    assert outsider_api.post(f"/api/templates/{tid}/copy/").status_code == 404  # private
    api.patch(f"/api/templates/{tid}/", {"isPublic": True}, format="json")
    assert api.get(f"/api/templates/{tid}/versions/").json()["count"] == 3  # visibility is not a version
    gallery = outsider_api.get("/api/templates/gallery/").json()["results"]
    assert [t["name"] for t in gallery] == ["Launch"] and gallery[0]["teamName"] == user.current_team.name
    copy = outsider_api.post(f"/api/templates/{tid}/copy/")
    assert copy.status_code == 201
    assert copy.json()["template"]["copiedFrom"] == tid and copy.json()["template"]["isPublic"] is False
    assert outsider_api.get(f"/api/templates/{tid}/").status_code == 404  # the original stays theirs


# Pages ------------------------------------------------------------------------------------------
@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_studio_renders_with_offline_label_and_no_inline_code(logged_in):
    html = logged_in.get("/generate/").content.decode()

    assert 'data-testid="offline-note"' in html and "js/studio.js" in html
    assert "style=" not in html and "<script>" not in html


def test_studio_streams_events_per_platform(logged_in):
    response = logged_in.post(
        "/generate/stream/",
        {
            "topic": "Coffee",
            "platforms": ["twitter", "bluesky"],
            "tone": "fun",
            "language": "ar",
            "audience": "baristas",
        },
    )

    body = b"".join(response.streaming_content).decode()
    assert response["content-type"].startswith("text/event-stream")
    assert body.count("event: start") == 2 and body.count("event: done") == 2 and body.rstrip().endswith("data: {}")
    assert '"direction": "rtl"' in body and '"offline": true' in body


def test_studio_stream_refuses_over_the_quota_with_the_upgrade_link(logged_in, user):
    from billing.models import UsageQuota
    from billing.services import quota_ensure

    quota = quota_ensure(team=user.current_team)
    UsageQuota.objects.filter(pk=quota.pk).update(content_generations=quota.max_content_generations)

    response = logged_in.post(
        "/generate/stream/",
        {"topic": "Coffee", "platforms": ["twitter", "bluesky"], "tone": "fun", "language": "en"},
    )

    body = b"".join(response.streaming_content).decode()
    assert body.count("event: error") == 1 and "event: start" not in body  # stops at the first refusal
    assert '"code": "QUOTA_EXCEEDED"' in body and '"upgradeUrl": "/billing/"' in body
    html = logged_in.get("/generate/").content.decode()
    assert 'data-testid="studio-upgrade"' in html and 'data-testid="upgrade-link"' in html


def test_studio_stream_validates_and_hides_other_teams_brands(logged_in):
    other = UserFactory()
    from teams.tests.factories import BrandFactory

    brand = BrandFactory(team=other.current_team)
    invalid = logged_in.post("/generate/stream/", {"topic": "", "platforms": ["myspace"]})
    foreign = logged_in.post(
        "/generate/stream/",
        {"topic": "x", "platforms": ["twitter"], "tone": "fun", "language": "en", "brand": str(brand.pk)},
    )

    assert invalid.status_code == 400 and {"topic", "platforms"} <= set(invalid.json()["error"]["details"])
    assert foreign.status_code == 404


def test_character_counter_counts_like_the_platform(logged_in):
    counts = logged_in.post(
        "/generate/count/", {"text": "東京 https://example.com/a/very/long/path", "platforms": ["twitter", "linkedin"]}
    ).json()["counts"]

    assert counts["twitter"]["count"] == 4 + 1 + 23  # CJK weighs 2, a link 23
    assert counts["linkedin"]["count"] == len("東京 https://example.com/a/very/long/path")


def test_save_draft_then_edit_it_and_other_teams_posts_are_404(logged_in, user):
    created = logged_in.post(
        "/generate/save/",
        {"content": "Hello #coffee", "platform": "twitter", "tone": "fun", "scheduled_at": "2031-05-01T09:00:00Z"},
    ).json()
    post = ContentPost.objects.get(pk=created["post"]["id"])
    assert post.status == "DRAFT" and post.scheduled_at.year == 2031 and post.hashtags == ["#coffee"]

    updated = logged_in.post(
        "/generate/save/", {"post_id": str(post.pk), "content": "Hello again", "platform": "twitter"}
    )
    assert updated.status_code == 200 and ContentPost.objects.get(pk=post.pk).content == "Hello again"

    theirs = ContentPostFactory(author=UserFactory())
    assert logged_in.get(f"/generate/?post={theirs.pk}").status_code == 404
    assert (
        logged_in.post(
            "/generate/save/", {"post_id": str(theirs.pk), "content": "x", "platform": "twitter"}
        ).status_code
        == 404
    )
    assert logged_in.post(f"/posts/{theirs.pk}/delete/").status_code == 404
    assert ContentPost.objects.filter(pk=theirs.pk, content=theirs.content).exists()


def test_library_searches_filters_and_keeps_a_flat_query_count(logged_in, user):
    ContentPostFactory(author=user, title="Coffee launch", platform="twitter")
    ContentPostFactory(author=UserFactory(), title="Coffee elsewhere")

    html = logged_in.get("/posts/?q=coffee").content.decode()
    assert "Coffee launch" in html and "Coffee elsewhere" not in html and "status-draft" in html

    with CaptureQueriesContext(connection) as few:
        logged_in.get("/posts/")
    for _ in range(10):
        ContentPostFactory(author=user)
    with CaptureQueriesContext(connection) as many:
        logged_in.get("/posts/")
    assert len(many) == len(few)


def test_delete_from_the_library(logged_in, user):
    post = ContentPostFactory(author=user)

    response = logged_in.post(f"/posts/{post.pk}/delete/")

    assert response.status_code == 302 and not ContentPost.objects.filter(pk=post.pk).exists()


def test_a_nul_character_is_refused_with_a_validation_error_not_stored(api):
    response = api.post("/api/templates/", {"name": "Bad", "body": "Hello \x00 {topic}"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert api.get("/api/templates/").json()["count"] == 0
