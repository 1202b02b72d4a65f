"""Another team's objects are a 404 on every endpoint and page; lists keep flat query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from content.tests.factories import ContentPostFactory
from social.models import MediaAsset, PublishResult
from social.services.publishing import publish_result_prepare
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign():
    stranger = UserFactory()
    account = SocialAccountFactory(team=stranger.current_team)
    post = ContentPostFactory(author=stranger)
    result = publish_result_prepare(post=post, account=account)
    media = MediaAsset.objects.create(
        team=stranger.current_team, kind="image", content_type="image/png", size_bytes=1, file="media/x.png"
    )
    return {"account": account, "post": post, "result": result, "media": media}


def test_api_endpoints_hide_other_teams(api, foreign, post, team):
    mine = SocialAccountFactory(team=team)
    a, p, r, m = (str(foreign[k].pk) for k in ("account", "post", "result", "media"))
    calls = [
        api.get(f"/api/social/accounts/{a}/"),
        api.delete(f"/api/social/accounts/{a}/"),
        api.get("/api/social/analytics", {"accountId": a, "timeRange": "7d"}),
        api.post("/api/social/publish", {"postId": p, "platforms": ["sandbox"]}, format="json"),
        api.post("/api/social/publish", {"postId": str(post.pk), "accountIds": [a]}, format="json"),
        api.post("/api/social/bulk-publish", {"postIds": [p], "accountIds": [str(mine.pk)]}, format="json"),
        api.post("/api/social/validate", {"text": "hi", "accountIds": [a]}, format="json"),
        api.post("/api/social/validate", {"text": "hi", "platforms": ["sandbox"], "mediaIds": [m]}, format="json"),
        api.get("/api/social/results/", {"postId": p}),
        api.post(f"/api/social/results/{r}/retry"),
        api.get(f"/api/media/{m}/"),
        api.delete(f"/api/media/{m}/"),
    ]
    for response in calls:
        assert response.status_code == 404, (response.request["PATH_INFO"], response.content)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    assert foreign["account"].__class__.objects.get(pk=a).is_active
    assert PublishResult.objects.get(pk=r).attempts == 0
    assert api.get("/api/social/accounts/").json()["count"] == 1
    assert api.get("/api/media/").json()["count"] == 0


def test_pages_hide_other_teams(client, user, foreign):
    client.force_login(user)
    a, p, r = (foreign[k].pk for k in ("account", "post", "result"))
    assert client.get(f"/social/publish/{p}/").status_code == 404
    assert client.post(f"/social/publish/{p}/submit/", {"account_ids": []}).status_code == 404
    assert client.post(f"/social/accounts/{a}/disconnect/").status_code == 404
    assert client.post(f"/social/accounts/{a}/check/").status_code == 404
    assert client.post(f"/social/results/{r}/retry/").status_code == 404
    assert client.post("/social/checks/", {"text": "x", "account_ids": [str(a)]}).status_code == 404
    assert client.post("/social/media/", {"post_id": str(p)}).status_code == 404
    foreign["account"].refresh_from_db()
    assert foreign["account"].is_active


def test_viewer_cannot_connect_or_publish(api, post):
    from teams.models import Membership

    Membership.objects.filter(team=post.team).update(role=Membership.Role.VIEWER)
    assert api.post("/api/social/connect", {"platform": "sandbox", "authCode": "x"}, format="json").status_code == 403
    assert api.post(
        "/api/social/publish", {"postId": str(post.pk), "platforms": ["sandbox"]}, format="json"
    ).status_code in (400, 403)


def _count(callable_):
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_stay_flat(api, client, user, team):
    posts = ContentPostFactory.create_batch(2, author=user)
    for account in SocialAccountFactory.create_batch(2, team=team):
        publish_result_prepare(post=posts[0], account=account)
    MediaAsset.objects.create(team=team, kind="image", content_type="image/png", size_bytes=1, file="media/x.png")
    client.force_login(user)
    small = [
        _count(lambda: api.get("/api/social/accounts/")),
        _count(lambda: client.get("/social/")),
        _count(lambda: api.get("/api/social/results/", {"postId": str(posts[0].pk)})),
        _count(lambda: api.get("/api/media/")),
    ]
    accounts = SocialAccountFactory.create_batch(12, team=team)
    for account in accounts:
        publish_result_prepare(post=posts[0], account=account)
        MediaAsset.objects.create(team=team, kind="image", content_type="image/png", size_bytes=1, file="media/x.png")
    large = [
        _count(lambda: api.get("/api/social/accounts/")),
        _count(lambda: client.get("/social/")),
        _count(lambda: api.get("/api/social/results/", {"postId": str(posts[0].pk)})),
        _count(lambda: api.get("/api/media/")),
    ]
    assert large == small


def test_schema_builds(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/social/connect",
        "/api/social/publish",
        "/api/social/analytics",
        "/api/social/validate",
        "/api/social/bulk-publish",
        "/api/social/accounts/",
        "/api/media/",
    ):
        assert path in paths
