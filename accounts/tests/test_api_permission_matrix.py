"""Every API endpoint × every kind of caller: the status each one gets.

Callers: anonymous, a Bearer (JWT) user, a read-only API key, a write API key, and a user of another
team acting on the owner's objects. MATRIX holds the full rows (accounts, social, media); every other
endpoint of the OpenAPI schema is swept for the columns that need no fixtures (anonymous is refused,
a read-only key cannot write), so a new endpoint is covered the day it is added.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from PIL import Image
from rest_framework.test import APIClient

from accounts.api_keys import api_key_create
from accounts.models import ApiKey, User
from accounts.tests.api_support import PASSWORD
from accounts.tests.factories import UserFactory
from accounts.tokens import tokens_issue
from content.models import ContentPost
from content.tests.factories import ContentPostFactory
from social.models import MediaAsset, PublishResult, SocialAccount
from social.services.publishing import publish_result_prepare
from social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

CALLERS = ("anonymous", "bearer", "key_read", "key_write", "other_team")


@dataclass
class World:
    owner: User
    other: User
    owner_key: ApiKey
    account: SocialAccount
    post: ContentPost
    result: PublishResult
    media: MediaAsset
    clients: dict[str, APIClient]

    def fresh_refresh_token(self) -> str:
        return tokens_issue(user=self.owner).refresh


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]]
    expected: dict[str, int]
    fmt: str = "json"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


# Who may do what, by kind of caller. "Writes" include connecting to one's own team: another team's
# user does that in their own workspace, which is why it succeeds.
READ_OWN = {"anonymous": 401, "bearer": 200, "key_read": 200, "key_write": 200, "other_team": 200}
READ_OWNERS = {**READ_OWN, "other_team": 404}


def _same(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


MATRIX: dict[str, list[Case]] = {
    "/api/auth/register": [
        Case(
            "post",
            lambda w: "/api/auth/register",
            lambda w: {
                "email": f"new-{uuid.uuid4().hex[:8]}@example.com",
                "password": "a-long-unusual-passphrase",
                "firstName": "N",
                "lastName": "U",
            },
            _same(201),  # public: credentials sent along are ignored
        ),
    ],
    "/api/auth/login": [
        Case(
            "post",
            lambda w: "/api/auth/login",
            lambda w: {"email": w.owner.email, "password": PASSWORD},
            _same(200),
        ),
    ],
    "/api/auth/refresh": [
        Case("post", lambda w: "/api/auth/refresh", lambda w: {"refreshToken": w.fresh_refresh_token()}, _same(200)),
    ],
    "/api/auth/logout": [
        Case(
            "post",
            lambda w: "/api/auth/logout",
            lambda w: {},
            # A read-only key may not change state; the other team's user ends only its own session.
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 200},
        ),
    ],
    "/api/me/": [
        Case("get", lambda w: "/api/me/", lambda w: {}, {**_same(200), "anonymous": 401}),
        Case(
            "patch",
            lambda w: "/api/me/",
            lambda w: {"firstName": "Changed"},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 200},
        ),
    ],
    "/api/api-keys/": [
        Case(
            "get",
            lambda w: "/api/api-keys/",
            lambda w: {},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 403, "other_team": 200},
        ),
        Case(
            "post",
            lambda w: "/api/api-keys/",
            lambda w: {"name": "new", "scopes": ["read"]},
            {"anonymous": 401, "bearer": 201, "key_read": 403, "key_write": 403, "other_team": 201},
        ),
    ],
    "/api/api-keys/{key_id}/": [
        Case(
            "delete",
            lambda w: f"/api/api-keys/{w.owner_key.pk}/",
            lambda w: {},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 403, "other_team": 404},
        ),
    ],
    "/api/social/connect": [
        Case(
            "post",
            lambda w: "/api/social/connect",
            lambda w: {"platform": "sandbox", "authCode": f"code-{uuid.uuid4().hex[:6]}"},
            {"anonymous": 401, "bearer": 201, "key_read": 403, "key_write": 201, "other_team": 201},
        ),
    ],
    "/api/social/accounts/": [Case("get", lambda w: "/api/social/accounts/", lambda w: {}, READ_OWN)],
    "/api/social/accounts/{account_id}/": [
        Case("get", lambda w: f"/api/social/accounts/{w.account.pk}/", lambda w: {}, READ_OWNERS),
        Case(
            "delete",
            lambda w: f"/api/social/accounts/{w.account.pk}/",
            lambda w: {},
            {"anonymous": 401, "bearer": 204, "key_read": 403, "key_write": 204, "other_team": 404},
        ),
    ],
    "/api/social/validate": [
        Case(
            "post",
            lambda w: "/api/social/validate",
            lambda w: {"text": "hello", "accountIds": [str(w.account.pk)]},
            # A POST, so a read-only key may not; the other team cannot name the owner's account.
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 404},
        ),
    ],
    "/api/social/publish": [
        Case(
            "post",
            lambda w: "/api/social/publish",
            lambda w: {"postId": str(w.post.pk), "accountIds": [str(w.account.pk)]},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 404},
        ),
    ],
    "/api/social/bulk-publish": [
        Case(
            "post",
            lambda w: "/api/social/bulk-publish",
            lambda w: {"postIds": [str(w.post.pk)], "accountIds": [str(w.account.pk)]},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 404},
        ),
    ],
    "/api/social/results/": [
        Case("get", lambda w: "/api/social/results/", lambda w: {"postId": str(w.post.pk)}, READ_OWNERS),
    ],
    "/api/social/results/{result_id}/retry": [
        Case(
            "post",
            lambda w: f"/api/social/results/{w.result.pk}/retry",
            lambda w: {},
            {"anonymous": 401, "bearer": 200, "key_read": 403, "key_write": 200, "other_team": 404},
        ),
    ],
    "/api/social/analytics": [
        Case(
            "get",
            lambda w: "/api/social/analytics",
            lambda w: {"accountId": str(w.account.pk), "timeRange": "7d"},
            READ_OWNERS,
        ),
    ],
    "/api/media/": [
        Case("get", lambda w: "/api/media/", lambda w: {}, READ_OWN),
        Case(
            "post",
            lambda w: "/api/media/",
            lambda w: {"file": _png(), "altText": "A teal square"},
            {"anonymous": 401, "bearer": 201, "key_read": 403, "key_write": 201, "other_team": 201},
            fmt="multipart",
        ),
    ],
    "/api/media/{media_id}/": [
        Case("get", lambda w: f"/api/media/{w.media.pk}/", lambda w: {}, READ_OWNERS),
        Case(
            "delete",
            lambda w: f"/api/media/{w.media.pk}/",
            lambda w: {},
            {"anonymous": 401, "bearer": 204, "key_read": 403, "key_write": 204, "other_team": 404},
        ),
    ],
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _world() -> World:
    owner, other = UserFactory(), UserFactory()
    owner_key, _raw = api_key_create(user=owner, name="target", scopes=["read"])
    _k1, read_raw = api_key_create(user=owner, name="read", scopes=["read"])
    _k2, write_raw = api_key_create(user=owner, name="write", scopes=["read", "write"])
    clients = {name: APIClient() for name in CALLERS}
    clients["bearer"].credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=owner).access}")
    clients["key_read"].credentials(HTTP_AUTHORIZATION=f"Api-Key {read_raw}")
    clients["key_write"].credentials(HTTP_AUTHORIZATION=f"Api-Key {write_raw}")
    clients["other_team"].credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=other).access}")
    account = SocialAccountFactory(team=owner.current_team)
    post = ContentPostFactory(author=owner, content="Hello from the matrix", hashtags=[])
    media = MediaAsset.objects.create(
        team=owner.current_team, kind="image", content_type="image/png", size_bytes=1, file="media/x.png"
    )
    return World(
        owner=owner,
        other=other,
        owner_key=owner_key,
        account=account,
        post=post,
        result=publish_result_prepare(post=post, account=account),
        media=media,
        clients=clients,
    )


CASES = [(route, case, caller) for route, cases in MATRIX.items() for case in cases for caller in CALLERS]


@pytest.mark.parametrize(
    ("route", "case", "caller"), CASES, ids=[f"{c.method.upper()} {r} as {who}" for r, c, who in CASES]
)
def test_permission_matrix(route, case, caller):
    world = _world()
    client = world.clients[caller]

    response = getattr(client, case.method)(case.path(world), case.body(world), format=case.fmt)

    assert response.status_code == case.expected[caller], response.content
    if response.status_code == 204:
        return
    body = response.json()
    assert body["success"] is (response.status_code < 400)
    if response.status_code >= 400:
        assert body["error"]["code"]


def test_other_teams_user_changes_nothing_of_the_owner():
    world = _world()
    client = world.clients["other_team"]

    client.patch("/api/me/", {"firstName": "Hijacked"}, format="json")
    client.delete(f"/api/api-keys/{world.owner_key.pk}/")

    world.owner.refresh_from_db()
    world.owner_key.refresh_from_db()
    assert world.owner.first_name != "Hijacked"
    assert world.owner_key.revoked_at is None


def _schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(request=None, public=True)


def _operations() -> list[tuple[str, str, bool]]:
    """(concrete path, method, public) for every operation under /api/ in the OpenAPI schema.

    Path parameters get a value of their type that names nothing (a fresh UUID, or 999999).
    """
    found = []
    for path, item in _schema()["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            concrete = path
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    is_int = parameter.get("schema", {}).get("type") == "integer"
                    value = "999999" if is_int else str(uuid.uuid4())
                    concrete = concrete.replace("{" + parameter["name"] + "}", value)
            security = operation.get("security")
            public = security is not None and (security == [] or {} in security)
            found.append((path, method, public, concrete))
    return found


SWEEP = [operation for operation in _operations() if operation[0] not in MATRIX]


@pytest.mark.parametrize(
    ("path", "method", "public", "concrete"), SWEEP, ids=[f"{op[1].upper()} {op[0]}" for op in SWEEP] or None
)
def test_every_other_endpoint_refuses_anonymous_callers_and_writes_by_read_only_keys(path, method, public, concrete):
    # Endpoints without a MATRIX row still get the two columns that need no fixtures; their own app's
    # tests prove the other-team 404s.
    owner = UserFactory()
    _key, read_raw = api_key_create(user=owner, name="read", scopes=["read"])
    anonymous, read_key = APIClient(), APIClient()
    read_key.credentials(HTTP_AUTHORIZATION=f"Api-Key {read_raw}")

    if not public:
        response = getattr(anonymous, method)(concrete, {}, format="json")
        assert response.status_code == 401, (path, method, response.content)
        assert response.json()["error"]["code"] == "INVALID_AUTHENTICATION"
    if not public and method != "get":
        response = getattr(read_key, method)(concrete, {}, format="json")
        assert response.status_code == 403, (path, method, response.content)
        assert response.json()["error"]["code"] == "PERMISSION_DENIED"


def test_matrix_rows_name_real_endpoints():
    paths = {operation[0] for operation in _operations()}

    assert set(MATRIX) <= paths, sorted(set(MATRIX) - paths)
