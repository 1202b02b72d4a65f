"""Tracked links: opt in on the post page, the short link redirects with UTM tags, clicks reach analytics."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from content.models import LinkClickDay, TrackedLink
from content.outgoing import outgoing_for
from content.services import post_update
from content.tests.factories import ContentPostFactory
from teams.permissions import team_context

pytestmark = pytest.mark.django_db

BODY = "Our spring menu is out: https://cafe.example/menu?lang=en. Book at https://cafe.example/book?utm_source=mine"


@pytest.fixture
def post(user):
    return ContentPostFactory(author=user, team=user.current_team, platform="linkedin", content=BODY, hashtags=[])


@pytest.fixture
def page(user):
    client = Client()
    client.force_login(user)
    return client


def _track(page: Client, post, campaign: str = "spring launch") -> None:
    response = page.post(f"/posts/{post.pk}/tracked-links/", {"enabled": "on", "campaign": campaign})
    assert response.status_code == 302


def test_a_tracked_link_redirects_with_utm_tags_and_its_click_reaches_the_posts_analytics(page, api, post, settings):
    settings.SITE_URL = "https://cg.example"
    _track(page, post)
    menu = TrackedLink.objects.get(post=post, target_url="https://cafe.example/menu?lang=en")

    # What the platform receives is the short link on our domain.
    text = outgoing_for(type(post).objects.get(pk=post.pk)).text
    assert f"https://cg.example/l/{menu.code}." in text and "https://cafe.example/menu" not in text

    with time_machine.travel("2026-12-07 10:00:00+00:00", tick=False):
        response = Client().get(
            f"/l/{menu.code}", HTTP_REFERER="https://www.linkedin.com/feed/?x=1", HTTP_CF_IPCOUNTRY="pt"
        )

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.netloc, location.path) == ("cafe.example", "/menu")
    assert parse_qs(location.query) == {
        "lang": ["en"],
        "utm_source": ["linkedin"],
        "utm_medium": ["social"],
        "utm_campaign": ["spring launch"],
    }
    assert response["Cache-Control"] == "no-store"
    bucket = LinkClickDay.objects.get(link=menu)
    assert (str(bucket.day), bucket.referrer_host, bucket.country, bucket.clicks) == (
        "2026-12-07",
        "www.linkedin.com",
        "PT",
        1,
    )

    analytics = api.get("/api/analytics/engagement", {"postId": str(post.pk), "timeRange": "30d"})
    assert analytics.status_code == 200, analytics.content
    clicks = analytics.json()["data"]["linkClicks"]
    assert clicks["total"] == 1
    assert {link["targetUrl"]: link["clicks"] for link in clicks["links"]} == {
        "https://cafe.example/menu?lang=en": 1,
        "https://cafe.example/book?utm_source=mine": 0,
    }
    assert clicks["byDay"] == [{"date": "2026-12-07", "clicks": 1}]

    detail = page.get(f"/posts/{post.pk}/")
    assert b'data-testid="tracked-links-total">1<' in detail.content


def test_a_second_click_the_same_day_adds_to_the_bucket_and_a_head_request_counts_nothing(page, post):
    _track(page, post)
    link = TrackedLink.objects.get(post=post, target_url="https://cafe.example/menu?lang=en")

    Client().get(f"/l/{link.code}")
    Client().get(f"/l/{link.code}")
    head = Client().head(f"/l/{link.code}")

    assert head.status_code == 302
    assert list(LinkClickDay.objects.values_list("referrer_host", "country", "clicks")) == [("", "", 2)]


def test_a_utm_tag_the_author_wrote_is_kept(page, post):
    _track(page, post)
    book = TrackedLink.objects.get(post=post, target_url="https://cafe.example/book?utm_source=mine")

    query = parse_qs(urlsplit(Client().get(f"/l/{book.code}")["Location"]).query)

    assert query["utm_source"] == ["mine"] and query["utm_medium"] == ["social"]


def test_an_unknown_code_is_404_and_counts_nothing():
    assert Client().get("/l/nope1234").status_code == 404
    assert not LinkClickDay.objects.exists()


def test_a_link_added_by_an_edit_is_tracked_and_turning_tracking_off_restores_the_links(page, user, post):
    _track(page, post)
    post.refresh_from_db()
    ctx = team_context(user=user)
    post_update(ctx=ctx, post=post, changes={"content": BODY + " More: https://cafe.example/new"})

    assert TrackedLink.objects.filter(post=post, target_url="https://cafe.example/new").exists()
    assert "https://cafe.example/new" not in outgoing_for(post).text

    page.post(f"/posts/{post.pk}/tracked-links/", {"campaign": ""})
    post.refresh_from_db()
    assert "https://cafe.example/new" in outgoing_for(post).text
    # Short links already sent keep redirecting.
    code = TrackedLink.objects.get(post=post, target_url="https://cafe.example/new").code
    assert Client().get(f"/l/{code}").status_code == 302


def test_the_api_switches_tracking_and_refuses_a_bad_campaign_without_changing_anything(api, post):
    bad = api.put(f"/api/posts/{post.pk}/tracked-links/", {"enabled": True, "campaign": "<script>"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
    assert not TrackedLink.objects.exists()

    ok = api.put(f"/api/posts/{post.pk}/tracked-links/", {"enabled": True, "campaign": "q1"}, format="json")

    assert ok.status_code == 200, ok.content
    data = ok.json()["data"]
    assert data["enabled"] is True and data["campaign"] == "q1" and len(data["links"]) == 2


def test_another_teams_post_is_404_on_every_management_endpoint(post):
    outsider: User = UserFactory.create()
    api = APIClient()
    api.force_authenticate(outsider)
    page = Client()
    page.force_login(outsider)

    responses = [
        api.get(f"/api/posts/{post.pk}/tracked-links/"),
        api.put(f"/api/posts/{post.pk}/tracked-links/", {"enabled": True}, format="json"),
        page.post(f"/posts/{post.pk}/tracked-links/", {"enabled": "on"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    post.refresh_from_db()
    assert "link_tracking" not in post.metadata and not TrackedLink.objects.exists()


@pytest.mark.parametrize(
    ("language", "title", "toggle"),
    [("es", "Enlaces con seguimiento", "Seguir enlaces"), ("ar", "روابط متتبَّعة", "تتبّع الروابط")],
)
def test_the_panel_speaks_spanish_and_arabic(page, post, language, title, toggle):
    with translation.override(language):
        response = page.get(f"/posts/{post.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html and toggle in html


def test_clicks_store_no_personal_data():
    fields = {f.name for f in LinkClickDay._meta.get_fields()}
    assert fields == {"id", "link", "day", "referrer_host", "country", "clicks"}


STUDIO_SAVE = {"content": "Menu: https://cafe.example/menu", "platform": "facebook", "track_links": "on"}


def test_the_studio_saves_a_draft_with_link_tracking_on(page, user, settings):
    settings.SITE_URL = "https://cg.example"
    response = page.post(
        "/generate/save/",
        {
            "content": "Menu: https://cafe.example/menu",
            "platform": "facebook",
            "track_links": "on",
            "link_campaign": "q2",
        },
    )

    assert response.status_code == 200, response.content
    post = type(user.posts.first()).objects.get(pk=response.json()["post"]["id"])
    link = TrackedLink.objects.get(post=post)
    assert post.metadata["link_tracking"]["campaign"] == "q2"
    assert outgoing_for(post).text == f"Menu: https://cg.example/l/{link.code}"
    assert "utm_source=facebook" in link.destination and "utm_campaign=q2" in link.destination


def test_a_bad_campaign_in_the_studio_saves_nothing(page, user):
    response = page.post(
        "/generate/save/",
        {
            "content": "Menu: https://cafe.example/menu",
            "platform": "facebook",
            "track_links": "on",
            "link_campaign": "a/b",
        },
    )

    assert response.status_code == 400
    assert not user.posts.exists()


def test_a_published_post_cannot_start_tracking(api, post):
    type(post).objects.filter(pk=post.pk).update(status="PUBLISHED")

    response = api.put(f"/api/posts/{post.pk}/tracked-links/", {"enabled": True}, format="json")

    assert response.status_code == 400
    assert not TrackedLink.objects.exists()
