"""A client member sees only the posts shared with them: sharing (API and page), every list and
detail a client may open, the 404 for an unshared post, the 403 for the team's internal areas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from content.models import ContentPost, PostShare
from content.services import post_create
from content.sharing import post_share
from content.workflow import post_submit
from teams.models import ActivityEvent, Membership, Notification
from teams.tests.factories import MembershipFactory, crew_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    return crew_create()


def _api(user, team) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_X_TEAM_ID=str(team.pk))
    return client


def _page(user, team) -> Client:
    user.current_team = team
    user.save(update_fields=["current_team"])
    client = Client()
    client.force_login(user)
    return client


def _posts(crew, n: int, prefix: str = "Post") -> list[ContentPost]:
    editor = crew.ctx("editor")
    return [
        post_create(ctx=editor, title=f"{prefix} {i}", content=f"{prefix} words {i}", platform="linkedin")
        for i in range(n)
    ]


# Sharing ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_a_writer_shares_a_post_with_a_client_who_is_notified_and_the_feed_records_it(crew, role):
    post = _posts(crew, 1)[0]
    client_user = crew.users["client"]

    response = _api(crew.users[role], crew.team).post(
        f"/api/posts/{post.pk}/shares/", {"userId": str(client_user.pk)}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["share"]["email"] == client_user.email
    assert PostShare.objects.filter(post=post, user=client_user).count() == 1
    note = Notification.objects.get(user=client_user, event=Notification.Event.APPROVAL_REQUESTED)
    assert note.url == f"/posts/{post.pk}/"
    event = ActivityEvent.objects.get(team=crew.team, verb="post.shared")
    assert event.target_id == str(post.pk) and client_user.email in event.summary

    again = _api(crew.users[role], crew.team).post(
        f"/api/posts/{post.pk}/shares/", {"userId": str(client_user.pk)}, format="json"
    )
    assert again.status_code == 200  # sharing twice changes nothing and tells nobody twice
    assert PostShare.objects.filter(post=post).count() == 1
    assert Notification.objects.filter(user=client_user).count() == 1


@pytest.mark.parametrize("role", ["reviewer", "viewer", "client"])
def test_roles_that_do_not_write_cannot_share_or_unshare(crew, role):
    post = _posts(crew, 1)[0]
    post_share(ctx=crew.ctx("owner"), post=post, user_id=crew.users["client"].pk)
    api = _api(crew.users[role], crew.team)

    shared = api.post(f"/api/posts/{post.pk}/shares/", {"userId": str(crew.users["client"].pk)}, format="json")
    removed = api.delete(f"/api/posts/{post.pk}/shares/{crew.users['client'].pk}/")

    assert shared.status_code == 403 and shared.json()["error"]["code"] == "PERMISSION_DENIED"
    assert removed.status_code == 403
    assert PostShare.objects.filter(post=post).count() == 1


def test_sharing_with_a_non_client_is_a_400_and_with_another_teams_user_or_post_a_404(crew):
    post = _posts(crew, 1)[0]
    api = _api(crew.users["editor"], crew.team)

    not_client = api.post(f"/api/posts/{post.pk}/shares/", {"userId": str(crew.users["viewer"].pk)}, format="json")
    stranger = api.post(f"/api/posts/{post.pk}/shares/", {"userId": str(crew.outsider.pk)}, format="json")
    garbage = api.post(f"/api/posts/{post.pk}/shares/", {"userId": "not-a-uuid"}, format="json")
    missing = api.post(f"/api/posts/{post.pk}/shares/", {}, format="json")

    assert not_client.status_code == 400
    assert not_client.json()["success"] is False and "userId" in not_client.json()["error"]["details"]
    assert stranger.status_code == 404 and garbage.status_code == 404
    assert missing.status_code == 400
    other = crew_create(name="Other")
    theirs = _posts(other, 1)[0]
    assert (
        api.post(f"/api/posts/{theirs.pk}/shares/", {"userId": str(crew.users["client"].pk)}, format="json").status_code
        == 404
    )
    # their client is not ours to share with either
    assert (
        api.post(f"/api/posts/{post.pk}/shares/", {"userId": str(other.users["client"].pk)}, format="json").status_code
        == 404
    )
    assert not PostShare.objects.exists()
    assert not Notification.objects.filter(event=Notification.Event.APPROVAL_REQUESTED).exists()


def test_every_share_endpoint_is_a_404_for_another_teams_user(crew):
    post = _posts(crew, 1)[0]
    post_share(ctx=crew.ctx("owner"), post=post, user_id=crew.users["client"].pk)
    other = crew_create(name="Other")
    client_id = crew.users["client"].pk

    for user in (other.users["owner"], crew.outsider):
        own, named = APIClient(), _api(user, crew.team)
        own.force_authenticate(user)
        for api in (own, named):
            assert api.get(f"/api/posts/{post.pk}/shares/").status_code == 404
            assert (
                api.post(f"/api/posts/{post.pk}/shares/", {"userId": str(client_id)}, format="json").status_code == 404
            )
            assert api.delete(f"/api/posts/{post.pk}/shares/{client_id}/").status_code == 404
        page = _page(user, user.current_team or other.team)
        assert page.post(f"/posts/{post.pk}/shares/", {"user": str(client_id)}).status_code == 404
        assert page.post(f"/posts/{post.pk}/shares/{client_id}/remove/").status_code == 404
    assert PostShare.objects.filter(post=post).count() == 1


def test_unsharing_makes_the_post_a_404_for_the_client_again(crew):
    post = _posts(crew, 1)[0]
    client_user = crew.users["client"]
    post_share(ctx=crew.ctx("owner"), post=post, user_id=client_user.pk)
    assert _api(client_user, crew.team).get(f"/api/posts/{post.pk}/").status_code == 200

    removed = _api(crew.users["editor"], crew.team).delete(f"/api/posts/{post.pk}/shares/{client_user.pk}/")

    assert removed.status_code == 200
    assert _api(client_user, crew.team).get(f"/api/posts/{post.pk}/").status_code == 404
    assert ActivityEvent.objects.filter(team=crew.team, verb="post.unshared").count() == 1
    again = _api(crew.users["editor"], crew.team).delete(f"/api/posts/{post.pk}/shares/{client_user.pk}/")
    assert again.status_code == 404


def test_the_post_page_picker_lists_the_teams_clients_and_shares(crew):
    post = _posts(crew, 1)[0]
    second_client = MembershipFactory(team=crew.team, role=Membership.Role.CLIENT).user
    page = _page(crew.users["editor"], crew.team)

    html = page.get(f"/posts/{post.pk}/").content.decode()
    assert 'data-testid="share-panel"' in html
    assert crew.users["client"].email in html and second_client.email in html
    assert crew.users["viewer"].email not in html.split('data-testid="share-panel"')[1].split("</section>")[0]

    response = page.post(f"/posts/{post.pk}/shares/", {"user": str(second_client.pk)})
    assert response.status_code == 302
    assert list(PostShare.objects.filter(post=post).values_list("user_id", flat=True)) == [second_client.pk]

    not_client = page.post(f"/posts/{post.pk}/shares/", {"user": str(crew.users["viewer"].pk)})
    assert not_client.status_code == 400
    assert PostShare.objects.filter(post=post).count() == 1

    assert page.post(f"/posts/{post.pk}/shares/{second_client.pk}/remove/").status_code == 302
    assert not PostShare.objects.filter(post=post).exists()


def test_a_viewer_cannot_share_from_the_page(crew):
    post = _posts(crew, 1)[0]
    page = _page(crew.users["viewer"], crew.team)

    assert 'data-testid="share-panel"' not in page.get(f"/posts/{post.pk}/").content.decode()
    assert page.post(f"/posts/{post.pk}/shares/", {"user": str(crew.users["client"].pk)}).status_code == 403
    assert not PostShare.objects.exists()


# What a client sees ----------------------------------------------------------------------------
@pytest.fixture
def shared_world(crew):
    posts = _posts(crew, 4)
    shared, unshared = posts[:2], posts[2:]
    for post in shared:
        post_share(ctx=crew.ctx("owner"), post=post, user_id=crew.users["client"].pk)
    return crew, shared, unshared


def test_the_client_lists_exactly_the_shared_posts_in_the_api_and_the_library(shared_world):
    crew, shared, unshared = shared_world
    client_user = crew.users["client"]

    api_ids = {row["id"] for row in _api(client_user, crew.team).get("/api/posts/").json()["results"]}
    assert api_ids == {str(p.pk) for p in shared}

    html = _page(client_user, crew.team).get("/posts/").content.decode()
    assert all(p.title in html for p in shared)
    assert not any(p.title in html for p in unshared)

    home = _page(client_user, crew.team).get("/dashboard/").content.decode()
    assert 'data-testid="shared-posts"' in home and all(p.title in home for p in shared)
    assert not any(p.title in home for p in unshared) and 'data-testid="count-posts"' not in home

    # everyone else still sees every post
    editor_ids = {row["id"] for row in _api(crew.users["viewer"], crew.team).get("/api/posts/").json()["results"]}
    assert editor_ids == {str(p.pk) for p in shared + unshared}


@pytest.mark.parametrize(
    "path",
    [
        "/api/posts/{pk}/",
        "/api/posts/{pk}/review/",
        "/api/posts/{pk}/comments/",
        "/api/posts/{pk}/revisions/",
        "/api/posts/{pk}/revisions/1/",
        "/api/posts/{pk}/history/",
    ],
)
def test_an_unshared_post_is_a_404_for_the_client_in_every_api(shared_world, path):
    crew, shared, unshared = shared_world
    api = _api(crew.users["client"], crew.team)

    assert api.get(path.format(pk=shared[0].pk)).status_code == 200
    response = api.get(path.format(pk=unshared[0].pk))
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"


def test_an_unshared_post_is_a_404_for_the_client_on_every_page_and_action(shared_world):
    crew, shared, unshared = shared_world
    page = _page(crew.users["client"], crew.team)
    api = _api(crew.users["client"], crew.team)
    target = unshared[0]

    assert page.get(f"/posts/{shared[0].pk}/").status_code == 200
    assert page.get(f"/posts/{target.pk}/").status_code == 404
    assert page.get(f"/posts/{target.pk}/revisions/1/").status_code == 404
    assert page.post(f"/posts/{target.pk}/comments/", {"body": "Hi"}).status_code == 404
    assert page.post(f"/posts/{target.pk}/review/approve/").status_code == 404
    assert api.post(f"/api/posts/{target.pk}/comments/", {"body": "Hi"}, format="json").status_code == 404
    assert api.post(f"/api/posts/{target.pk}/approve/", {}, format="json").status_code == 404
    assert not target.comments.exists()


def test_the_client_comments_on_and_approves_a_shared_post_and_is_asked_only_about_shared_ones(crew):
    shared, unshared = _posts(crew, 2)
    client_user = crew.users["client"]
    post_share(ctx=crew.ctx("owner"), post=shared, user_id=client_user.pk)
    before = Notification.objects.filter(user=client_user, event=Notification.Event.APPROVAL_REQUESTED).count()
    post_submit(ctx=crew.ctx("editor"), post=shared)
    post_submit(ctx=crew.ctx("editor"), post=unshared)
    asked = Notification.objects.filter(user=client_user, event=Notification.Event.APPROVAL_REQUESTED)
    assert asked.count() == before + 1 and asked.first().url == f"/posts/{shared.pk}/"

    page = _page(client_user, crew.team)
    html = page.get(f"/posts/{shared.pk}/").content.decode()
    assert 'id="tasks"' not in html and 'data-testid="share-panel"' not in html and 'id="client-links"' not in html
    page.post(f"/posts/{shared.pk}/comments/", {"body": "Looks good to us"})
    page.post(f"/posts/{shared.pk}/review/approve/", {"comment": "Approved by the client"})

    shared.refresh_from_db()
    assert shared.comments.filter(author=client_user, body="Looks good to us").exists()
    assert shared.status == "APPROVED"
    # resolving is the team's bookkeeping: the client is not offered a button that would refuse them
    resolve = 'name="resolved"'
    assert resolve not in page.get(f"/posts/{shared.pk}/").content.decode()
    assert resolve in _page(crew.users["editor"], crew.team).get(f"/posts/{shared.pk}/").content.decode()
    assert shared.approval_decisions.get().reviewer == client_user


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/",
        "/analytics/",
        "/activity/",
        "/tasks/",
        "/workflows/",
        "/social/",
        "/brands/",
        "/team/",
        "/generate/",
        "/portability/",
        "/api/activity/",
        "/api/tasks/",
        "/api/workflows/",
        "/api/schedules/",
        "/api/analytics/dashboard",
        "/api/social/accounts/",
        "/api/brands/",
        "/api/templates/",
        "/api/media/",
    ],
)
def test_the_teams_internal_areas_are_closed_to_a_client(shared_world, path):
    crew, _shared, _unshared = shared_world
    user = crew.users["client"]
    response = _api(user, crew.team).get(path) if path.startswith("/api/") else _page(user, crew.team).get(path)

    assert response.status_code == 403
    # and open to a viewer, so the 403 is the client rule, not the page being broken
    viewer = crew.users["viewer"]
    ok = _api(viewer, crew.team).get(path) if path.startswith("/api/") else _page(viewer, crew.team).get(path)
    assert ok.status_code == 200


def test_the_members_list_is_closed_to_a_client(crew):
    response = _api(crew.users["client"], crew.team).get(f"/api/teams/{crew.team.pk}/members/")
    assert response.status_code == 403


def test_the_sidebar_shows_a_client_only_what_they_can_open(shared_world):
    crew, shared, _unshared = shared_world
    html = _page(crew.users["client"], crew.team).get(f"/posts/{shared[0].pk}/").content.decode()
    sidebar = html.split('id="app-sidebar"')[1].split("</aside>")[0]

    assert "/posts/" in sidebar and "/calendar/" not in sidebar and "/activity/" not in sidebar
    assert "/billing/" not in sidebar and "/team/" not in sidebar and "/settings/" in sidebar


# Query counts ----------------------------------------------------------------------------------
def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
        assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_clients_lists_keep_a_flat_query_count(crew):
    client_user = crew.users["client"]
    api = _api(client_user, crew.team)
    page = _page(client_user, crew.team)
    owner = crew.ctx("owner")
    posts = _posts(crew, 10)
    for post in posts[:2]:
        post_share(ctx=owner, post=post, user_id=client_user.pk)

    small = [_queries(lambda: api.get("/api/posts/")), _queries(lambda: page.get("/posts/"))]
    small.append(_queries(lambda: page.get("/dashboard/")))
    for post in posts[2:]:
        post_share(ctx=owner, post=post, user_id=client_user.pk)
    large = [_queries(lambda: api.get("/api/posts/")), _queries(lambda: page.get("/posts/"))]
    large.append(_queries(lambda: page.get("/dashboard/")))

    assert small == large


def test_the_share_list_keeps_a_flat_query_count(crew):
    post = _posts(crew, 1)[0]
    api = _api(crew.users["editor"], crew.team)
    page = _page(crew.users["editor"], crew.team)
    clients = [MembershipFactory(team=crew.team, role=Membership.Role.CLIENT).user for _ in range(10)]
    for user in clients[:2]:
        post_share(ctx=crew.ctx("owner"), post=post, user_id=user.pk)

    small = [
        _queries(lambda: api.get(f"/api/posts/{post.pk}/shares/")),
        _queries(lambda: page.get(f"/posts/{post.pk}/")),
    ]
    for user in clients[2:]:
        post_share(ctx=crew.ctx("owner"), post=post, user_id=user.pk)
    large = [
        _queries(lambda: api.get(f"/api/posts/{post.pk}/shares/")),
        _queries(lambda: page.get(f"/posts/{post.pk}/")),
    ]

    assert small == large
    assert api.get(f"/api/posts/{post.pk}/shares/").json()["count"] == 10


def test_a_mention_never_tells_a_client_about_a_post_hidden_from_them(crew):
    shared, unshared = _posts(crew, 2)
    client_user = crew.users["client"]
    post_share(ctx=crew.ctx("owner"), post=shared, user_id=client_user.pk)
    api = _api(crew.users["editor"], crew.team)
    page = _page(crew.users["reviewer"], crew.team)
    mention = f"@{client_user.email} what do you think?"

    assert api.post(f"/api/posts/{unshared.pk}/comments/", {"body": mention}, format="json").status_code == 201
    page.post(f"/posts/{unshared.pk}/comments/", {"body": mention})
    assert not Notification.objects.filter(user=client_user, event=Notification.Event.MENTION).exists()

    assert api.post(f"/api/posts/{shared.pk}/comments/", {"body": mention}, format="json").status_code == 201
    page.post(f"/posts/{shared.pk}/comments/", {"body": mention})
    assert Notification.objects.filter(user=client_user, event=Notification.Event.MENTION).count() == 2
    assert unshared.comments.count() == 2  # the comments themselves are kept
