"""Feeds to drafts, against a feed served by a real local HTTP server."""

from __future__ import annotations

from datetime import time

import pytest

from accounts.tests.factories import UserFactory
from content.models import ContentPost, PostStatus
from integrations.feeds import feed_create, feed_fetch
from integrations.models import Feed, FeedItem
from integrations.tests.conftest import Reply
from scheduling.models import ScheduledPost
from scheduling.queueing import queue_slots_set
from social.tests.factories import SocialAccountFactory
from teams.models import Membership
from teams.permissions import team_context
from teams.tests.factories import BrandFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ETAG = '"v1"'
LAST_MODIFIED = "Mon, 07 Dec 2026 06:00:00 GMT"


def _item(n: int, *, guid: str | None = None, link: str | None = None) -> str:
    return (
        f"<item><title>Article {n}</title><link>{link or f'https://blog.example.com/{n}'}</link>"
        f"<guid>{guid or f'urn:article:{n}'}</guid>"
        f"<description>&lt;p&gt;What happened in part {n}, in short.&lt;/p&gt;</description></item>"
    )


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example blog</title>'
        f"<link>https://blog.example.com/</link>{''.join(reversed(items))}</channel></rss>"
    ).encode()


class FeedPublisher:
    """Answers 304 to a request carrying the current ETag or date, like a well-behaved server."""

    def __init__(self, server) -> None:
        self.items: list[str] = []
        self.honour_conditional = True
        server.respond = self.respond

    def respond(self, request) -> Reply:
        fresh = (
            request.headers.get("if-none-match") == ETAG or request.headers.get("if-modified-since") == LAST_MODIFIED
        )
        if self.honour_conditional and fresh:
            return Reply(304, b"")
        headers = {"Content-Type": "application/rss+xml", "ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        return Reply(200, _rss(*self.items), headers)


def _follow(api, url: str, **options) -> dict:
    response = api.post("/api/feeds/", {"url": url, **options}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["feed"]


def test_a_feed_adds_drafts_once_a_second_fetch_adds_nothing_and_a_new_item_adds_one(
    api, user, local_server, allow_local, django_capture_on_commit_callbacks
):
    publisher = FeedPublisher(local_server)
    publisher.items = [_item(1), _item(2)]

    # when: the workspace follows the feed (the first fetch runs at once)
    with django_capture_on_commit_callbacks(execute=True):
        feed = _follow(api, f"{local_server.url}/feed.xml")

    # then: a draft per item, oldest first, carrying its link and where it came from
    drafts = list(ContentPost.objects.order_by("created_at"))
    assert [d.title for d in drafts] == ["Article 1", "Article 2"]
    assert all(d.status == PostStatus.DRAFT and d.author == user for d in drafts)
    assert "https://blog.example.com/1" in drafts[0].content and "<p>" not in drafts[0].content
    assert drafts[0].metadata["source"]["guid"] == "urn:article:1"
    assert Feed.objects.get().title == "Example blog"

    # a second fetch sends the validators back and adds nothing
    assert feed_fetch(feed_id=feed["id"]) == 0
    second = local_server.requests[-1]
    assert second.headers["if-none-match"] == ETAG and second.headers["if-modified-since"] == LAST_MODIFIED
    assert ContentPost.objects.count() == 2

    # a server that ignores the validators: the same items are still recognised
    publisher.honour_conditional = False
    assert feed_fetch(feed_id=feed["id"]) == 0

    # one new item: one new draft
    publisher.items.append(_item(3))
    assert feed_fetch(feed_id=feed["id"]) == 1
    assert ContentPost.objects.count() == 3
    items = api.get(f"/api/feeds/{feed['id']}/items/").json()["results"]
    assert [i["title"] for i in items] == ["Article 3", "Article 2", "Article 1"]
    assert api.get("/api/feeds/").json()["results"][0]["draftCount"] == 3


def test_duplicates_are_caught_by_link_and_by_guid(api, local_server, allow_local, django_capture_on_commit_callbacks):
    publisher = FeedPublisher(local_server)
    publisher.honour_conditional = False
    publisher.items = [_item(1)]
    with django_capture_on_commit_callbacks(execute=True):
        feed = _follow(api, f"{local_server.url}/feed.xml")

    publisher.items = [
        _item(1),
        _item(2, guid="urn:article:1"),  # a new link, a known GUID
        _item(3, link="https://blog.example.com/1"),  # a new GUID, a known link
    ]

    assert feed_fetch(feed_id=feed["id"]) == 0
    assert ContentPost.objects.count() == 1 and FeedItem.objects.count() == 1


def test_items_can_be_rewritten_in_the_brand_voice_and_queued(
    api, user, team, local_server, allow_local, django_capture_on_commit_callbacks, settings
):
    settings.AI_PROVIDER_PRIORITY = ["offline"]
    publisher = FeedPublisher(local_server)
    publisher.items = [_item(1)]
    brand = BrandFactory(team=team, default_hashtags=[])
    account = SocialAccountFactory(team=team)
    queue_slots_set(account=account, slots=[(day, time(9, 0)) for day in range(7)])

    with django_capture_on_commit_callbacks(execute=True):
        _follow(
            api,
            f"{local_server.url}/feed.xml",
            rewriteWithAi=True,
            brandId=str(brand.pk),
            queueAccountId=str(account.pk),
        )

    post = ContentPost.objects.get()
    assert post.brand == brand and post.platform == account.platform
    assert post.content != "Article 1\n\nWhat happened in part 1, in short.\n\nhttps://blog.example.com/1"
    assert "https://blog.example.com/1" in post.content
    queued = ScheduledPost.objects.get()
    assert queued.post == post and queued.social_account == account and queued.in_queue


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://169.254.169.254/latest", "http://10.0.0.8/rss"])
def test_a_feed_on_an_internal_address_is_refused(api, url):
    response = api.post("/api/feeds/", {"url": url}, format="json")

    assert response.status_code == 400 and response.json()["error"]["details"]["url"]
    assert not Feed.objects.exists()


def test_a_feed_page_refuses_an_internal_address_next_to_the_field(client, user):
    client.force_login(user)

    response = client.post("/integrations/feeds/", {"url": "http://127.0.0.1:6379/"})

    assert response.status_code == 400 and b'data-testid="field-error"' in response.content
    assert not Feed.objects.exists()


def test_an_oversized_or_broken_feed_is_recorded_not_imported(
    api, local_server, allow_local, django_capture_on_commit_callbacks, settings
):
    settings.FEED_MAX_BYTES = 1000  # read when the fetch client is built
    import integrations.feeds as feeds_module

    feeds_module._client = None
    local_server.respond = lambda request: Reply(200, b"<rss>" + b"x" * 5000, {"Content-Type": "application/rss+xml"})
    try:
        with django_capture_on_commit_callbacks(execute=True):
            feed = _follow(api, f"{local_server.url}/big.xml")
    finally:
        feeds_module._client = None

    row = Feed.objects.get(pk=feed["id"])
    assert row.last_error and not ContentPost.objects.exists()


def test_another_teams_user_gets_404_on_every_feed_endpoint(api, outsider_api, local_server, allow_local):
    FeedPublisher(local_server)
    feed_id = _follow(api, f"{local_server.url}/feed.xml")["id"]

    calls = [
        ("get", f"/api/feeds/{feed_id}/"),
        ("patch", f"/api/feeds/{feed_id}/"),
        ("delete", f"/api/feeds/{feed_id}/"),
        ("post", f"/api/feeds/{feed_id}/fetch/"),
        ("get", f"/api/feeds/{feed_id}/items/"),
    ]
    for method, url in calls:
        response = getattr(outsider_api, method)(url, {"isActive": False}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    assert outsider_api.get("/api/feeds/").json()["count"] == 0
    assert Feed.objects.get().is_active


def test_drafts_keep_coming_when_the_person_who_added_the_feed_left(
    api, user, team, local_server, allow_local, django_capture_on_commit_callbacks
):
    publisher = FeedPublisher(local_server)
    member = UserFactory()
    MembershipFactory(team=team, user=member, role=Membership.Role.EDITOR)
    ctx = team_context(user=member, requested_team_id=str(team.pk))
    feed = feed_create(ctx=ctx, url=f"{local_server.url}/feed.xml")
    Membership.objects.filter(team=team, user=member).delete()

    publisher.items = [_item(1)]
    assert feed_fetch(feed_id=feed.pk) == 1

    assert ContentPost.objects.get().author == team.owner
