"""Content APIs: the spec's shapes, roles, tenancy (another team's objects are 404), flat query counts."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from content.models import ContentPost, ContentTemplate, ContentTemplateVersion
from content.template_services import template_create
from content.tests.factories import ContentPostFactory
from teams.models import Membership
from teams.permissions import team_context
from teams.tests.factories import BrandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(db):
    """Another team's post, template and brand."""
    owner = UserFactory()
    ctx = team_context(user=owner)
    return {
        "post": ContentPostFactory(author=owner),
        "template": template_create(ctx=ctx, name="Theirs", body="Hi {topic}"),
        "brand": BrandFactory(team=owner.current_team),
    }


def test_generate_returns_content_and_the_metadata_api_md_names(api):
    response = api.post(
        "/api/content/generate",
        {
            "prompt": "Coffee",
            "platform": "x",
            "tone": "fun",
            "audience": "baristas",
            "contentType": "HASHTAGS",
            "language": "es",
        },
        format="json",
    )

    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    assert {
        "provider",
        "model",
        "cached",
        "language",
        "characterCount",
        "characterLimit",
        "hashtags",
        "tokensIn",
        "tokensOut",
        "latencyMs",
        "moderation",
    } <= set(body["metadata"])
    assert body["metadata"]["characterLimit"] == 280 and body["metadata"]["language"] == "es"
    assert body["content"].startswith("#")


def test_generate_validates_with_field_details_and_changes_nothing(api):
    response = api.post(
        "/api/content/generate",
        {"prompt": "", "platform": "myspace", "contentType": "POEM", "variants": 99, "language": "english please"},
        format="json",
    )

    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert {"prompt", "platform", "contentType", "variants", "language"} <= set(details)


def test_generate_with_brand_and_template_applies_them(api, user):
    # Property 30: Brand Template Integration
    brand = BrandFactory(
        team=user.current_team,
        name="Bean Co",
        words_to_use=["craft"],
        words_to_avoid=["cheap"],
        default_hashtags=["#BeanCo"],
    )
    template = template_create(
        ctx=team_context(user=user), name="Launch", body="{hook}\n\nNew at {brand}: {topic}.\n\n{cta}"
    )

    response = api.post(
        "/api/content/generate",
        {
            "prompt": "cheap espresso",
            "platform": "linkedin",
            "tone": "casual",
            "audience": "students",
            "contentType": "CAPTION",
            "brandId": str(brand.pk),
            "templateId": str(template.pk),
        },
        format="json",
    )

    content = response.json()["content"]
    assert "New at Bean Co: espresso." in content  # template filled, an avoided word dropped
    assert "cheap" not in content.lower()
    assert "#BeanCo" in response.json()["metadata"]["hashtags"]


def test_another_teams_brand_template_and_post_are_404_everywhere(api, foreign):
    post, template, brand = foreign["post"], foreign["template"], foreign["brand"]
    base = {"prompt": "x", "platform": "twitter", "contentType": "CAPTION"}
    calls = [
        ("post", "/api/content/generate", {**base, "brandId": str(brand.pk)}),
        ("post", "/api/content/generate", {**base, "templateId": str(template.pk)}),
        ("post", "/api/content/optimize", {"contentId": str(post.pk)}),
        ("post", "/api/content/translate", {"text": "x", "language": "ar", "platform": "x", "brandId": str(brand.pk)}),
        ("get", f"/api/posts/{post.pk}/", None),
        ("patch", f"/api/posts/{post.pk}/", {"content": "mine now"}),
        ("delete", f"/api/posts/{post.pk}/", None),
        ("get", f"/api/templates/{template.pk}/", None),
        ("patch", f"/api/templates/{template.pk}/", {"body": "mine"}),
        ("delete", f"/api/templates/{template.pk}/", None),
        ("get", f"/api/templates/{template.pk}/versions/", None),
        ("post", f"/api/templates/{template.pk}/versions/1/restore/", None),
        ("post", f"/api/templates/{template.pk}/copy/", None),  # private: not in the gallery
        ("get", f"/api/brands/{brand.pk}/", None),
        ("patch", f"/api/brands/{brand.pk}/", {"name": "mine"}),
        ("delete", f"/api/brands/{brand.pk}/", None),
        ("get", f"/api/posts/{uuid.uuid4()}/", None),
        ("get", "/api/posts/not-a-uuid/", None),
    ]
    for method, url, data in calls:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    post.refresh_from_db()
    assert post.content != "mine now" and ContentTemplate.objects.filter(pk=template.pk, body="Hi {topic}").exists()


def test_lists_only_show_the_teams_own_rows(api, user, foreign):
    ContentPostFactory(author=user, title="Mine")
    assert [p["title"] for p in api.get("/api/posts/").json()["results"]] == ["Mine"]
    assert api.get("/api/templates/").json()["count"] == 0
    assert api.get("/api/brands/").json()["count"] == 0


def test_save_creates_a_draft_201_and_refuses_another_users_id(api, user):
    body = {
        "title": "Launch",
        "content": "New blend! #coffee",
        "hashtags": ["coffee", "new blend"],
        "platform": "instagram",
        "tone": "fun",
        "audience": "all",
        "status": "DRAFT",
        "userId": str(user.pk),
        "analytics": {"views": 99},
    }

    created = api.post("/api/content/save", body, format="json")
    denied = api.post("/api/content/save", {**body, "userId": str(uuid.uuid4())}, format="json")

    assert created.status_code == 201
    post = created.json()["post"]
    assert post["userId"] == str(user.pk) and post["status"] == "DRAFT" and post["hashtags"] == ["#coffee", "#newblend"]
    assert post["analytics"]["views"] == 0
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "PERMISSION_DENIED"
    assert ContentPost.objects.count() == 1


def test_save_refuses_text_over_the_platform_limit(api):
    response = api.post("/api/content/save", {"content": "é" * 281, "platform": "twitter"}, format="json")

    assert response.status_code == 400
    assert "281/280" in response.json()["error"]["details"]["content"][0]
    assert not ContentPost.objects.exists()


def test_viewers_can_read_but_not_write(user, foreign):
    viewer = UserFactory()
    Membership.objects.create(team=user.current_team, user=viewer, role=Membership.Role.VIEWER)
    client = APIClient()
    client.force_authenticate(viewer)
    headers = {"HTTP_X_TEAM_ID": str(user.current_team_id)}
    post = ContentPostFactory(author=user)

    assert client.get("/api/posts/", **headers).status_code == 200
    for method, url, data in [
        ("post", "/api/content/generate", {"prompt": "x", "platform": "twitter", "contentType": "CAPTION"}),
        ("post", "/api/content/save", {"content": "x"}),
        ("patch", f"/api/posts/{post.pk}/", {"content": "y"}),
        ("delete", f"/api/posts/{post.pk}/", None),
        ("post", "/api/templates/", {"name": "t", "body": "b"}),
    ]:
        response = getattr(client, method)(url, data, format="json", **headers)
        assert response.status_code == 403, url


def test_posts_filter_by_status_platform_and_search(api, user):
    ContentPostFactory(author=user, title="Coffee launch", platform="twitter")
    ContentPostFactory(author=user, title="Tea time", platform="linkedin", status="PUBLISHED")

    def titles(query: str) -> list[str]:
        return [p["title"] for p in api.get(f"/api/posts/?{query}").json()["results"]]

    assert titles("q=coffee") == ["Coffee launch"]
    assert titles("status=PUBLISHED") == ["Tea time"]
    assert titles("platform=x") == ["Coffee launch"]


def test_patch_and_delete_a_post(api, user):
    post = ContentPostFactory(author=user, platform="twitter")

    patched = api.patch(f"/api/posts/{post.pk}/", {"content": "Shorter", "hashtags": ["a b"]}, format="json")
    too_long = api.patch(f"/api/posts/{post.pk}/", {"content": "x" * 300}, format="json")
    deleted = api.delete(f"/api/posts/{post.pk}/")

    assert patched.json()["post"]["content"] == "Shorter" and patched.json()["post"]["hashtags"] == ["#ab"]
    assert too_long.status_code == 400
    assert deleted.json() == {"success": True} and not ContentPost.objects.exists()


@pytest.mark.parametrize("url", ["/api/posts/", "/api/templates/", "/api/templates/gallery/", "/api/brands/"])
def test_list_query_count_stays_flat(api, user, url):
    ctx = team_context(user=user)

    def add_rows(n: int) -> None:
        for _ in range(n):
            ContentPostFactory(author=user)
            template_create(ctx=ctx, name=f"T{uuid.uuid4()}", body="b", is_public=True)
            BrandFactory(team=user.current_team)

    add_rows(2)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    add_rows(8)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).status_code == 200
    assert len(many) == len(few)


def test_schema_builds_with_every_content_endpoint(api):
    schema = api.get("/api/schema/?format=json").json()

    for path in [
        "/api/content/generate",
        "/api/content/optimize",
        "/api/content/save",
        "/api/posts/",
        "/api/posts/{post_id}/",
        "/api/templates/",
        "/api/templates/{template_id}/versions/",
        "/api/templates/{template_id}/copy/",
        "/api/templates/gallery/",
        "/api/brands/",
    ]:
        assert path in schema["paths"], path
    assert "contentType" in schema["components"]["schemas"]["GenerateRequestRequest"]["properties"]
    assert ContentTemplateVersion.objects.count() == 0
