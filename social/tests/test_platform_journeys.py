"""Every real connector behind the publishing service, against respx with each platform's own shapes:
one post to two accounts of the platform where the second account's call fails (revoked token, rate
limit with its reset, server error), so a failure is per account and never blocks the other; the
platform's budget is kept and shown; the metrics beat task snapshots the published post."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx
from django.core.files.base import ContentFile
from django.utils import timezone

from analytics.models import ContentAnalytics
from analytics.snapshots import metrics_fetch_for_result
from content.tests.factories import ContentPostFactory
from social.models import AccountHealth, MediaAsset, PublishResult
from social.services.media import media_attach
from social.tests.factories import SocialAccountFactory
from teams.models import Notification

pytestmark = pytest.mark.django_db

GOOD, BAD = "good-token", "bad-token"
X_API = "https://api.x.com"
LINKEDIN = "https://api.linkedin.com"
IG_GRAPH = "https://graph.instagram.com/v25.0"
FB_GRAPH = "https://graph.facebook.com/v25.0"
TIKTOK = "https://open.tiktokapis.com"
MASTODON = "https://fosstodon.example"
PDS = "https://morel.us-east.host.bsky.network"
TT_OK = {"code": "ok", "message": "", "log_id": "202611201010"}


def _is_bad(request: httpx.Request) -> bool:
    """The failing account's calls carry its token (a Bearer header, or Meta's access_token field)."""
    haystack = str(request.url) + request.headers.get("authorization", "") + request.content.decode(errors="ignore")
    return BAD in haystack


@dataclass
class Platform:
    """How one platform answers: its first write call (where failures are injected) and the rest."""

    name: str
    metadata: Callable[[str], dict[str, Any]]
    write: tuple[str, str]  # method, URL regex of the call that creates the post
    created: Callable[[httpx.Request], httpx.Response]
    failures: Callable[[], dict[str, httpx.Response]]  # built per call: resets are relative to now
    wait_at_least: int  # seconds the rate-limited account must wait (the platform's reset)
    media: str = ""  # "image" or "video" when the platform needs one
    mount_rest: Callable[[respx.MockRouter], None] = lambda router: None
    mount_metrics: Callable[[respx.MockRouter, str], None] = lambda router, post_id: None
    expect_metrics: dict[str, int] = field(default_factory=dict)


def _x_created(request: httpx.Request) -> httpx.Response:
    reset = int(time.time()) + 900
    text = json.loads(request.content)["text"]
    return httpx.Response(
        201,
        json={"data": {"id": "1445880548472328192", "text": text}},
        headers={"x-rate-limit-limit": "100", "x-rate-limit-remaining": "97", "x-rate-limit-reset": str(reset)},
    )


def _x_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.get(f"{X_API}/2/tweets/{post_id}").respond(
        200,
        json={
            "data": {
                "id": post_id,
                "public_metrics": {"retweet_count": 3, "reply_count": 2, "like_count": 10, "quote_count": 1},
                "non_public_metrics": {"impression_count": 510, "url_link_clicks": 7},
            }
        },
    )


def _linkedin_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.get(f"{LINKEDIN}/rest/socialMetadata/urn%3Ali%3Ashare%3A7141138937766391808").respond(
        200,
        json={"reactionSummaries": {"LIKE": {"reactionType": "LIKE", "count": 5}}, "commentSummary": {"count": 3}},
    )
    counts = {"IMPRESSION": 900, "MEMBERS_REACHED": 600, "RESHARE": 4}
    router.get(f"{LINKEDIN}/rest/memberCreatorPostAnalytics").mock(
        side_effect=lambda r: httpx.Response(200, json={"elements": [{"count": counts[r.url.params["queryType"]]}]})
    )


def _meta_revoked() -> httpx.Response:
    return httpx.Response(
        400,
        json={
            "error": {
                "message": "Error validating access token: The user has not authorized application.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 458,
                "fbtrace_id": "AbC1",
            }
        },
    )


def _meta_throttled(code: int) -> httpx.Response:
    usage = {"17841400008460056": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 12}]}
    return httpx.Response(
        400,
        json={"error": {"message": "User request limit reached", "type": "OAuthException", "code": code}},
        headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
    )


def _instagram_rest(router: respx.MockRouter) -> None:
    router.get(f"{IG_GRAPH}/c-1").respond(200, json={"status_code": "FINISHED", "id": "c-1"})
    router.post(url__regex=re.escape(IG_GRAPH) + r"/ig-\d+/media_publish").respond(200, json={"id": "1790000099"})
    router.get(f"{IG_GRAPH}/1790000099").respond(
        200,
        json={
            "id": "1790000099",
            "caption": "Launch",
            "permalink": "https://www.instagram.com/p/Cabc/",
            "timestamp": "2026-11-20T10:00:00+0000",
            "like_count": 5,
            "comments_count": 1,
        },
    )
    router.get(url__regex=re.escape(IG_GRAPH) + r"/ig-\d+/content_publishing_limit").respond(
        200, json={"data": [{"quota_usage": 2, "config": {"quota_total": 50, "quota_duration": 86400}}]}
    )


def _instagram_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.get(f"{IG_GRAPH}/{post_id}/insights").respond(
        200,
        json={
            "data": [
                {"name": "views", "period": "lifetime", "values": [{"value": 1200}]},
                {"name": "reach", "period": "lifetime", "values": [{"value": 800}]},
                {"name": "likes", "period": "lifetime", "values": [{"value": 6}]},
            ]
        },
    )


def _facebook_rest(router: respx.MockRouter) -> None:
    router.get(url__regex=re.escape(FB_GRAPH) + r"/page-\d+_900(\?|$)").respond(
        200,
        json={
            "id": "page-1_900",
            "message": "Launch",
            "created_time": "2026-11-20T10:00:00+0000",
            "permalink_url": "https://www.facebook.com/acme/posts/900",
            "reactions": {"data": [], "summary": {"total_count": 12}},
            "comments": {"data": [], "summary": {"total_count": 4}},
            "shares": {"count": 2},
        },
    )


def _facebook_metrics(router: respx.MockRouter, post_id: str) -> None:
    values = {"post_media_view": 340, "post_total_media_view_unique": 210}
    router.get(url__regex=exact(f"{FB_GRAPH}/{post_id}/insights")).mock(
        side_effect=lambda r: httpx.Response(
            200,
            json={"data": [{"name": r.url.params["metric"], "values": [{"value": values[r.url.params["metric"]]}]}]},
        )
    )


def _tiktok_rest(router: respx.MockRouter) -> None:
    router.post(f"{TIKTOK}/v2/post/publish/video/init/").respond(
        200,
        json={
            "data": {"publish_id": "v_pub_file~v2-1.7", "upload_url": "https://open-upload.tiktokapis.com/video/?u=1"},
            "error": TT_OK,
        },
    )
    router.put("https://open-upload.tiktokapis.com/video/").respond(201)


def _tiktok_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.post(f"{TIKTOK}/v2/post/publish/status/fetch/").respond(
        200,
        json={
            "data": {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [7312345678901234567]},
            "error": TT_OK,
        },
    )
    router.post(f"{TIKTOK}/v2/video/query/").respond(
        200,
        json={
            "data": {
                "videos": [
                    {
                        "id": "7312345678901234567",
                        "like_count": 40,
                        "comment_count": 5,
                        "share_count": 3,
                        "view_count": 1000,
                    }
                ]
            },
            "error": TT_OK,
        },
    )


def _mastodon_created(request: httpx.Request) -> httpx.Response:
    reset = (timezone.now() + timedelta(minutes=4)).isoformat()
    return httpx.Response(
        200,
        json={
            "id": "113000000000000001",
            "created_at": "2026-11-20T10:00:00.000Z",
            "url": f"{MASTODON}/@acme/113000000000000001",
            "content": "<p>Launch</p>",
        },
        headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "298", "X-RateLimit-Reset": reset},
    )


def _mastodon_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.get(f"{MASTODON}/api/v1/statuses/{post_id}").respond(
        200,
        json={
            "id": post_id,
            "url": "u",
            "replies_count": 2,
            "reblogs_count": 5,
            "favourites_count": 9,
            "quotes_count": 1,
        },
    )


def _bluesky_created(request: httpx.Request) -> httpx.Response:
    did = json.loads(request.content)["repo"]
    return httpx.Response(
        200,
        json={"uri": f"at://{did}/app.bsky.feed.post/3l6oveex3ii2l", "cid": "bafyrei", "validationStatus": "valid"},
        headers={
            "ratelimit-limit": "5000",
            "ratelimit-remaining": "4997",
            "ratelimit-reset": str(int(time.time()) + 3000),
        },
    )


def _bluesky_metrics(router: respx.MockRouter, post_id: str) -> None:
    router.get(f"{PDS}/xrpc/app.bsky.feed.getPosts").respond(
        200, json={"posts": [{"uri": post_id, "likeCount": 8, "repostCount": 3, "replyCount": 2, "quoteCount": 1}]}
    )


def _in(seconds: int) -> str:
    return (timezone.now() + timedelta(seconds=seconds)).isoformat()  # Mastodon's reset is an ISO 8601 time


def exact(url: str) -> str:
    return re.escape(url) + r"(\?|$)"


PLATFORMS = [
    Platform(
        name="twitter",
        metadata=lambda n: {"username": f"acme{n}"},
        write=("POST", exact(f"{X_API}/2/tweets")),
        created=_x_created,
        failures=lambda: {
            "auth": httpx.Response(
                401, json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
            ),
            "rate_limited": httpx.Response(
                429,
                json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank"},
                headers={
                    "x-rate-limit-limit": "100",
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(int(time.time()) + 600),
                },
            ),
            "transient": httpx.Response(503, json={"title": "Service Unavailable", "type": "about:blank"}),
        },
        wait_at_least=590,
        mount_metrics=_x_metrics,
        expect_metrics={"likes": 10, "impressions": 510, "clicks": 7},
    ),
    Platform(
        name="linkedin",
        metadata=lambda n: {"author_urn": f"urn:li:person:p{n}"},
        write=("POST", exact(f"{LINKEDIN}/rest/posts")),
        created=lambda r: httpx.Response(201, headers={"x-restli-id": "urn:li:share:7141138937766391808"}),
        failures=lambda: {
            "auth": httpx.Response(
                401,
                json={
                    "status": 401,
                    "serviceErrorCode": 65601,
                    "code": "REVOKED_ACCESS_TOKEN",
                    "message": "The token used in the request has been revoked by the user",
                },
            ),
            # LinkedIn sends no rate-limit headers: the default wait applies.
            "rate_limited": httpx.Response(429, json={"status": 429, "message": "Resource level throttle limit"}),
            "transient": httpx.Response(504, json={"status": 504, "message": "Gateway timeout"}),
        },
        wait_at_least=59,
        mount_metrics=_linkedin_metrics,
        expect_metrics={"likes": 5, "impressions": 900, "reach": 600},
    ),
    Platform(
        name="instagram",
        metadata=lambda n: {},
        write=("POST", re.escape(IG_GRAPH) + r"/ig-\d+/media(\?|$)"),
        created=lambda r: httpx.Response(200, json={"id": "c-1"}),
        failures=lambda: {
            "auth": _meta_revoked(),
            "rate_limited": _meta_throttled(4),
            "transient": httpx.Response(
                500, json={"error": {"message": "An unknown error occurred", "code": 1, "is_transient": True}}
            ),
        },
        wait_at_least=12 * 60 - 5,
        media="image",
        mount_rest=_instagram_rest,
        mount_metrics=_instagram_metrics,
        expect_metrics={"views": 1200, "reach": 800, "impressions": 1200},
    ),
    Platform(
        name="facebook",
        metadata=lambda n: {},
        write=("POST", re.escape(FB_GRAPH) + r"/page-\d+/feed(\?|$)"),
        created=lambda r: httpx.Response(200, json={"id": "page-1_900"}),
        failures=lambda: {
            "auth": _meta_revoked(),
            "rate_limited": _meta_throttled(32),
            "transient": httpx.Response(
                503, json={"error": {"message": "Service temporarily unavailable", "code": 2, "is_transient": True}}
            ),
        },
        wait_at_least=12 * 60 - 5,
        mount_rest=_facebook_rest,
        mount_metrics=_facebook_metrics,
        expect_metrics={"likes": 12, "views": 340, "reach": 210},
    ),
    Platform(
        name="tiktok",
        metadata=lambda n: {"username": f"acme{n}"},
        write=("POST", exact(f"{TIKTOK}/v2/post/publish/creator_info/query/")),
        created=lambda r: httpx.Response(
            200,
            json={
                "data": {
                    "creator_username": "acme",
                    "privacy_level_options": ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
                    "comment_disabled": False,
                    "duet_disabled": False,
                    "stitch_disabled": False,
                    "max_video_post_duration_sec": 600,
                },
                "error": TT_OK,
            },
        ),
        failures=lambda: {
            # TikTok reports errors in the body's error.code; the HTTP status follows its table.
            "auth": httpx.Response(
                401,
                json={
                    "data": {},
                    "error": {"code": "access_token_invalid", "message": "The access token is invalid.", "log_id": "1"},
                },
            ),
            "rate_limited": httpx.Response(
                429,
                json={"data": {}, "error": {"code": "rate_limit_exceeded", "message": "Slow down.", "log_id": "2"}},
            ),
            "transient": httpx.Response(
                500, json={"data": {}, "error": {"code": "internal_error", "message": "Try later.", "log_id": "3"}}
            ),
        },
        wait_at_least=59,
        media="video",
        mount_rest=_tiktok_rest,
        mount_metrics=_tiktok_metrics,
        expect_metrics={"views": 1000, "likes": 40, "comments": 5},
    ),
    Platform(
        name="mastodon",
        metadata=lambda n: {"instance_url": MASTODON, "max_characters": 500},
        write=("POST", exact(f"{MASTODON}/api/v1/statuses")),
        created=_mastodon_created,
        failures=lambda: {
            "auth": httpx.Response(401, json={"error": "The access token is invalid"}),
            "rate_limited": httpx.Response(
                429,
                json={"error": "Too many requests"},
                headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": _in(300)},
            ),
            "transient": httpx.Response(503, json={"error": "Remote data could not be fetched"}),
        },
        wait_at_least=290,
        mount_metrics=_mastodon_metrics,
        expect_metrics={"likes": 9, "shares": 6, "comments": 2},
    ),
    Platform(
        name="bluesky",
        metadata=lambda n: {"pds": PDS, "did": f"did:plc:acme{n}", "handle": f"acme{n}.bsky.social"},
        write=("POST", exact(f"{PDS}/xrpc/com.atproto.repo.createRecord")),
        created=_bluesky_created,
        failures=lambda: {
            "auth": httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
            "rate_limited": httpx.Response(
                429,
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                headers={
                    "ratelimit-limit": "5000",
                    "ratelimit-remaining": "0",
                    "ratelimit-reset": str(int(time.time()) + 1800),
                },
            ),
            "transient": httpx.Response(502, content=b"<html><body>502 Bad Gateway</body></html>"),
        },
        wait_at_least=1790,
        mount_metrics=_bluesky_metrics,
        expect_metrics={"likes": 8, "shares": 4, "comments": 2},
    ),
]


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


@pytest.fixture(autouse=True)
def _public_site(settings: Any, tmp_path: Any) -> None:
    settings.SITE_URL = "https://app.example.com"  # Instagram fetches media from a public https URL
    settings.MEDIA_ROOT = str(tmp_path)


def _accounts(team: Any, platform: Platform) -> tuple[Any, Any]:
    made = []
    for n, token in ((1, GOOD), (2, BAD)):
        account_id = {"instagram": f"ig-{n}", "facebook": f"page-{n}"}.get(platform.name, f"{platform.name}-{n}")
        if platform.name == "bluesky":
            account_id = platform.metadata(n)["did"]
        made.append(
            SocialAccountFactory(
                team=team,
                platform=platform.name,
                account_id=account_id,
                account_name=f"Acme {n}",
                access_token=token,
                refresh_token=f"{token}-refresh",
                metadata=platform.metadata(n),
            )
        )
    return made[0], made[1]


def _post(user: Any, platform: Platform) -> Any:
    post = ContentPostFactory(author=user, content="Launch day: our spring collection is live.", hashtags=[])
    if platform.media:
        image = platform.media == "image"
        asset = MediaAsset(
            team=post.team,
            kind="image" if image else "video",
            content_type="image/jpeg" if image else "video/mp4",
            size_bytes=3,
            width=1080,
            height=1080 if image else 1920,
            duration_seconds=None if image else 20.0,
        )
        asset.file.save("launch.jpg" if image else "launch.mp4", ContentFile(b"abc"), save=True)
        media_attach(post=post, assets=[asset])
    return post


def _mount(router: respx.MockRouter, platform: Platform, mode: str) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        return platform.failures()[mode] if _is_bad(request) else platform.created(request)

    method, url = platform.write
    route = router.route(method=method, url__regex=url).mock(side_effect=answer)
    platform.mount_rest(router)
    return route


@pytest.mark.parametrize("mode", ["auth", "rate_limited", "transient"])
@pytest.mark.parametrize("platform", PLATFORMS, ids=[p.name for p in PLATFORMS])
def test_one_account_failing_never_blocks_the_other(api, user, team, router, platform, mode):
    good, bad = _accounts(team, platform)
    post = _post(user, platform)
    write = _mount(router, platform, mode)
    before = timezone.now()

    response = api.post(
        "/api/social/publish", {"postId": str(post.pk), "accountIds": [str(good.pk), str(bad.pk)]}, format="json"
    )

    assert response.status_code == 200, response.content
    by_account = {r["socialAccountId"]: r for r in response.json()["results"]}
    ok, failed = by_account[str(good.pk)], by_account[str(bad.pk)]
    assert ok["status"] == "SUCCESS" and ok["platformPostId"], ok
    assert failed["errorKind"] == mode, failed
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.is_active and good.is_active  # no error class disconnects an account
    assert good.health == AccountHealth.HEALTHY
    if mode == "auth":
        assert failed["status"] == "FAILED"
        assert bad.health == AccountHealth.NEEDS_RECONNECT and bad.last_error
        assert Notification.objects.filter(team=team).count() == 1
    else:
        assert failed["status"] == "PENDING"
        row = PublishResult.objects.get(pk=failed["id"])
        wait = (row.next_attempt_at - before).total_seconds()
        if mode == "rate_limited":
            assert wait >= platform.wait_at_least, (wait, platform.wait_at_least)  # the platform's reset
        else:
            assert bad.health == AccountHealth.DEGRADED and bad.last_error
        assert not Notification.objects.exists()
    assert sum(1 for call in write.calls if not _is_bad(call.request)) == 1  # the good account posted once


@pytest.mark.parametrize("platform", PLATFORMS, ids=[p.name for p in PLATFORMS])
def test_metrics_beat_snapshots_what_the_platform_reports(api, user, team, router, platform):
    good, _ = _accounts(team, platform)
    post = _post(user, platform)
    _mount(router, platform, "auth")
    (result,) = api.post(
        "/api/social/publish", {"postId": str(post.pk), "accountIds": [str(good.pk)]}, format="json"
    ).json()["results"]
    assert result["status"] == "SUCCESS", result
    platform.mount_metrics(router, result["platformPostId"])

    snapshot = metrics_fetch_for_result(result_id=result["id"])

    assert snapshot is not None, "the metrics call failed"
    for name, value in platform.expect_metrics.items():
        assert getattr(snapshot, name) == value, (name, getattr(snapshot, name))
    assert ContentAnalytics.objects.filter(post=post, platform=platform.name).count() == 1
    data = api.get("/api/social/analytics", {"accountId": str(good.pk), "timeRange": "7d"}).json()["data"]
    assert data["totals"]["posts"] == 1
    assert data["totals"]["likes"] == snapshot.likes


def test_platform_budgets_are_kept_and_shown(api, user, team, router):
    x = next(p for p in PLATFORMS if p.name == "twitter")
    good, _ = _accounts(team, x)
    _mount(router, x, "auth")
    api.post("/api/social/publish", {"postId": str(_post(user, x).pk), "accountIds": [str(good.pk)]}, format="json")

    health = api.get(f"/api/social/accounts/{good.pk}/").json()["account"]["health"]

    # X said 97 of 100 left in its window: tighter than our own count (99), so that is shown.
    assert (health["budget"]["remaining"], health["budget"]["limit"]) == (97, 100)
    assert health["budget"]["reportedBy"] == "platform"
    assert health["charge"] == {"perPost": "0.015", "perPostWithLink": "0.20", "currency": "USD"}
    result = PublishResult.objects.get(social_account=good)
    assert result.metadata["charge"] == {"amount": "0.015", "currency": "USD"}


def test_instagram_reads_its_publishing_limit_before_posting(api, user, team, router):
    ig = next(p for p in PLATFORMS if p.name == "instagram")
    good, _ = _accounts(team, ig)
    _mount(router, ig, "auth")

    api.post("/api/social/publish", {"postId": str(_post(user, ig).pk), "accountIds": [str(good.pk)]}, format="json")

    budget = api.get(f"/api/social/accounts/{good.pk}/").json()["account"]["health"]["budget"]
    assert (budget["remaining"], budget["limit"], budget["reportedBy"]) == (47, 50, "platform")  # 50 - 2 - this post


def test_instagram_quota_used_up_waits_without_posting(api, user, team, router):
    ig = next(p for p in PLATFORMS if p.name == "instagram")
    good, _ = _accounts(team, ig)
    router.get(url__regex=re.escape(IG_GRAPH) + r"/ig-\d+/content_publishing_limit").respond(
        200, json={"data": [{"quota_usage": 50, "config": {"quota_total": 50, "quota_duration": 86400}}]}
    )
    create = router.post(url__regex=re.escape(IG_GRAPH) + r"/ig-\d+/media(\?|$)").respond(200, json={"id": "c-1"})

    (result,) = api.post(
        "/api/social/publish", {"postId": str(_post(user, ig).pk), "accountIds": [str(good.pk)]}, format="json"
    ).json()["results"]

    assert result["status"] == "PENDING" and result["errorKind"] == "rate_limited"
    assert "Posting budget used (50)" in result["error"]
    assert not create.called
    assert result["attempts"] == 0  # waiting for the quota is not a failed attempt


def test_instagram_budget_is_read_when_connecting_and_checking(client, user, team, router):
    ig = next(p for p in PLATFORMS if p.name == "instagram")
    good, _ = _accounts(team, ig)
    router.get(url__regex=re.escape(IG_GRAPH) + r"/ig-\d+/content_publishing_limit").respond(
        200, json={"data": [{"quota_usage": 7, "config": {"quota_total": 25, "quota_duration": 86400}}]}
    )
    router.get("https://graph.instagram.com/refresh_access_token").respond(
        200, json={"access_token": "good-token-2", "token_type": "bearer", "expires_in": 5183944}
    )
    client.force_login(user)

    client.post(f"/social/accounts/{good.pk}/check/")

    page = client.get("/social/").content.decode()
    assert "18 of 25 posts left" in page and "as reported by the platform" in page
