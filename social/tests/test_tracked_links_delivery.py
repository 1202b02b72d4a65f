"""What the platform receives from a post that tracks its links: the short links, as the preview showed."""

from __future__ import annotations

import pytest
from django.test import Client

from content.models import ContentPost, TrackedLink
from content.outgoing import outgoing_for
from content.tracked_links import tracked_links_set
from social.models import SandboxPost
from teams.permissions import team_context

pytestmark = pytest.mark.django_db


def test_the_sandbox_receives_the_short_links_and_a_click_on_them_is_counted(api, user, connect_sandbox, settings):
    settings.SITE_URL = "https://cg.example"
    connect_sandbox()
    post = ContentPost.objects.create(
        team=user.current_team,
        author=user,
        content="New menu https://cafe.example/menu",
        platform="sandbox",
        metadata={"first_comment": "Book: https://cafe.example/book"},
    )
    tracked_links_set(ctx=team_context(user=user), post=post, enabled=True, campaign="launch")
    post.refresh_from_db()
    menu = TrackedLink.objects.get(target_url="https://cafe.example/menu")
    book = TrackedLink.objects.get(target_url="https://cafe.example/book")

    response = api.post("/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json")

    assert response.status_code == 200, response.content
    delivered = SandboxPost.objects.get()
    assert delivered.text == outgoing_for(post).text == f"New menu https://cg.example/l/{menu.code}"
    assert delivered.first_comment == f"Book: https://cg.example/l/{book.code}"
    assert "utm_source=sandbox" in Client().get(f"/l/{menu.code}")["Location"]
