"""Media in the composer: the card's uploads are checked against the platform's media rules while
writing, shown in the post card, and become the saved post's media."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.tests.factories import UserFactory
from content.models import PostStatus
from content.tests.factories import ContentPostFactory

pytestmark = pytest.mark.django_db
CHECKS = "/social/composer/checks/"


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _upload(client, name: str = "bread.png") -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), "teal").save(buffer, format="PNG")
    response = client.post("/social/media/", {"file": SimpleUploadedFile(name, buffer.getvalue(), "image/png")})
    assert response.status_code == 200, response.content
    html = response.content.decode()
    return html.split('name="media_ids" value="', 1)[1].split('"', 1)[0]


def _codes(body) -> set[str]:
    return {issue["code"] for issue in body["issues"]}


def test_instagram_without_media_says_so_while_writing_and_an_upload_clears_it(client, owner):
    # given no account ticked yet: the card's platform is checked bare
    bare = client.post(CHECKS, {"platform": "instagram", "text": "Fresh loaves at 7"}).json()
    assert "media_required" in _codes(bare)
    (issue,) = [i for i in bare["issues"] if i["code"] == "media_required"]
    assert "needs an image or a video" in issue["message"]

    # when an image is uploaded to the card
    media_id = _upload(client)
    body = client.post(CHECKS, {"platform": "instagram", "text": "Fresh loaves at 7", "media_ids": [media_id]}).json()

    # then the rule is met and the post card shows the picture
    assert "media_required" not in _codes(body)
    (shown,) = body["preview"]["media"]
    assert shown["id"] == media_id and shown["kind"] == "image" and shown["url"]


def test_five_images_on_x_break_its_four_image_rule(client, owner):
    ids = [_upload(client, f"p{n}.png") for n in range(5)]

    body = client.post(CHECKS, {"platform": "twitter", "text": "Five loaves", "media_ids": ids}).json()

    assert "too_many_media" in _codes(body)
    assert body["canPublish"] is False
    assert len(body["preview"]["media"]) == 5


def test_another_teams_media_is_a_404_in_checks(client, owner):
    other = UserFactory()
    client.force_login(other)
    foreign = _upload(client)
    client.force_login(owner)

    response = client.post(CHECKS, {"platform": "twitter", "text": "x", "media_ids": [foreign]})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_saving_makes_the_cards_media_the_posts_media_in_order(client, owner):
    post = ContentPostFactory(author=owner, team=owner.current_team, status=PostStatus.DRAFT)
    first, second = _upload(client, "a.png"), _upload(client, "b.png")
    url = f"/social/composer/posts/{post.pk}/media/"

    response = client.post(url, {"media_ids": [second, first]})

    assert response.status_code == 200, response.content
    assert [str(a.pk) for a in post.media_assets.order_by("post_links__position")] == [second, first]
    # removing one on the card and saving again leaves the other
    client.post(url, {"media_ids": [first]})
    assert [str(a.pk) for a in post.media_assets.all()] == [first]


def test_media_of_another_teams_post_is_a_404_and_a_published_post_a_400(client, owner):
    media_id = _upload(client)
    foreign = ContentPostFactory(author=UserFactory())
    published = ContentPostFactory(author=owner, team=owner.current_team, status=PostStatus.PUBLISHED)

    assert client.post(f"/social/composer/posts/{foreign.pk}/media/", {"media_ids": [media_id]}).status_code == 404
    refused = client.post(f"/social/composer/posts/{published.pk}/media/", {"media_ids": [media_id]})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "VALIDATION_ERROR"
    assert not published.media_assets.exists()
