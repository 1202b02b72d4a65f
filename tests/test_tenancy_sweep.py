"""Every URL that names an object, page or API, answers 404 to a user of another team.

One team's world holds an object of every kind a URL can name. A user of another team (signed in for
pages, with a Bearer token for the API) calls every such URL with every method, using the first team's
ids and tokens: each call is a 404 (or a 405 where the route has no such method, with at least one 404
per route), never a 200, a 403 that confirms the object exists, or a 500, and nothing of the first team
changes. A guard fails when a new URL with an object in its path is neither swept nor exempt with a
reason, so the sweep grows with the project.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_keys import api_key_create
from accounts.gdpr import data_export_link_token
from accounts.models import DataExport as PersonalExport
from accounts.models import UserSession
from accounts.tests.factories import UserFactory
from accounts.tokens import tokens_issue
from analytics.models import ABTest, AnalyticsExport, CompetitorPost
from analytics.services import export_token
from content.models import ContentTemplate, ContentTemplateVersion, PostRevision, PostShare
from content.tests.factories import ContentPostFactory
from moderation.tests.factories import ModerationCaseFactory
from scheduling.models import DataExport as TeamExport
from scheduling.models import RecurringSchedule
from scheduling.tests.factories import ScheduledPostFactory
from social.models import MediaAsset
from social.services.publishing import publish_result_prepare
from social.tests.factories import SocialAccountFactory
from teams.models import (
    ApprovalWorkflow,
    BrandAsset,
    ClientApprovalLink,
    Invitation,
    Membership,
    PostComment,
    Task,
)
from teams.tests.factories import BrandFactory, MembershipFactory, NotificationFactory

pytestmark = pytest.mark.django_db

# Routes whose path names no team object, or whose token is the capability itself (addressed to
# someone outside the team by design). Each reason says why another team's 404 does not apply.
EXEMPT = {
    "account_confirm_email": "allauth e-mail confirmation key: the key is the capability",
    "account_reset_password_from_key": "allauth password-reset key: the key is the capability",
    "api-invitation": "invitation token: addressed to someone not yet in the team",
    "api-invitation-accept": "invitation token: addressed to someone not yet in the team",
    "api-invitation-decline": "invitation token: addressed to someone not yet in the team",
    "invitation": "invitation token: addressed to someone not yet in the team",
    "invitation_accept": "invitation token: addressed to someone not yet in the team",
    "invitation_decline": "invitation token: addressed to someone not yet in the team",
    "client_review": "client magic link: addressed to a client outside the team",
    "connect": "names a platform, not an object",
    "callback": "names a platform, not an object (OAuth state is checked against the session)",
    "switch": "switching to a team one is not in is covered by api-team-switch and teams' own tests",
}

EXCLUDED_PREFIXES = ("admin/", "static/", "media/", "__", "^static", "^media")

# Roles other than the owner: the owner's teammate is the share target and the member of member URLs.
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _routes() -> Iterator[tuple[str, str, str]]:
    """(route, name, namespace-qualified name) for every URL pattern, with its prefixes joined."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str, str]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or ""
                yield from walk(entry, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.name or "", namespace

    yield from walk(get_resolver(), "", "")


def _object_routes() -> list[tuple[str, str]]:
    found = []
    for route, name, _namespace in _routes():
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if "<" in route or "(?P<" in route:
            found.append((route, name))
    return found


class World:
    """Team A with one object of every kind a URL can name; user B in a team of their own."""

    def __init__(self) -> None:
        self.owner = UserFactory()
        self.team = self.owner.current_team
        self.teammate = UserFactory()
        self.membership = MembershipFactory(team=self.team, user=self.teammate, role=Membership.Role.EDITOR)
        self.outsider = UserFactory()

        self.post = ContentPostFactory(author=self.owner, content="Team A's private post", hashtags=[])
        self.account = SocialAccountFactory(team=self.team)
        self.result = publish_result_prepare(post=self.post, account=self.account)
        self.brand = BrandFactory(team=self.team)
        self.asset = BrandAsset.objects.create(
            brand=self.brand, kind=BrandAsset.Kind.COLOR, name="Teal", color="#008080"
        )
        self.media = MediaAsset.objects.create(
            team=self.team, kind="image", content_type="image/png", size_bytes=1, file="media/a.png"
        )
        self.notification = NotificationFactory(user=self.owner, team=self.team)
        self.task = Task.objects.create(team=self.team, title="Check the copy", assignee=self.owner)
        self.comment = PostComment.objects.create(team=self.team, post=self.post, author=self.owner, body="Nice")
        self.workflow = ApprovalWorkflow.objects.create(team=self.team, name="Default")
        self.link = ClientApprovalLink.objects.create(
            team=self.team, post=self.post, expires_at=timezone.now() + dt.timedelta(days=3)
        )
        self.invitation = Invitation.objects.create(
            team=self.team,
            email="someone@example.com",
            token_hash=hashlib.sha256(b"sweep").hexdigest(),
            expires_at=timezone.now() + dt.timedelta(days=3),
        )
        PostRevision.objects.create(post=self.post, number=1, content="First draft")
        PostShare.objects.create(post=self.post, user=self.teammate)
        self.template = ContentTemplate.objects.create(team=self.team, name="Launch", body="We launched {{product}}")
        ContentTemplateVersion.objects.create(template=self.template, number=1, name="Launch", body="v1")
        self.ab_test = ABTest.objects.create(team=self.team, name="Hooks", platform="linkedin")
        self.competitor = CompetitorPost.objects.create(team=self.team, competitor="Rival", platform="linkedin")
        self.case = ModerationCaseFactory(team=self.team, author=self.owner)
        self.scheduled = ScheduledPostFactory(post=self.post, social_account=self.account)
        self.series = RecurringSchedule.objects.create(
            team=self.team,
            post=self.post,
            social_account=self.account,
            rrule="FREQ=WEEKLY;BYDAY=MO",
            start_date=dt.date(2030, 1, 7),
            start_time=dt.time(9, 0),
        )
        self.team_export = TeamExport.objects.create(
            team=self.team, requested_by=self.owner, format=TeamExport.Format.JSON, status=TeamExport.Status.READY
        )
        self.team_export.file.save("sweep.json", ContentFile(b"{}"))
        self.analytics_export = AnalyticsExport.objects.create(
            team=self.team, requested_by=self.owner, format="CSV", time_range="30d", status="ready"
        )
        self.analytics_export.file.save("sweep.csv", ContentFile(b"a,b\n"))
        self.personal_export = PersonalExport.objects.create(user=self.owner, status=PersonalExport.Status.READY)
        self.api_key, _raw = api_key_create(user=self.owner, name="integration", scopes=["read"])
        self.session = UserSession.objects.create(user=self.owner, session_key="sweep-session-key")

    def value(self, route_name: str, kwarg: str) -> str:
        by_route = {
            ("export-download", "token"): export_token(self.analytics_export),
            ("data_export_download", "token"): data_export_link_token(self.personal_export),
        }
        if (route_name, kwarg) in by_route:
            return by_route[(route_name, kwarg)]
        team_exports = {"api-export-detail", "api-export-download", "portability-download"}
        by_kwarg: dict[str, Any] = {
            "session_id": self.session.pk,
            "key_id": self.api_key.pk,
            "team_id": self.team.pk,
            "member_id": self.membership.pk,
            "invitation_id": self.invitation.pk,
            "brand_id": self.brand.pk,
            "asset_id": self.asset.pk,
            "notification_id": self.notification.pk,
            "account_id": self.account.pk,
            "result_id": self.result.pk,
            "media_id": self.media.pk,
            "task_id": self.task.pk,
            "comment_id": self.comment.pk,
            "workflow_id": self.workflow.pk,
            "post_id": self.post.pk,
            "number": 1,
            "user_id": self.teammate.pk,
            "link_id": self.link.pk,
            "template_id": self.template.pk,
            "test_id": self.ab_test.pk,
            "competitor_id": self.competitor.pk,
            "case_id": self.case.pk,
            "series_id": self.series.pk,
            "scheduled_id": self.scheduled.pk,
            "export_id": self.team_export.pk if route_name in team_exports else None,
            "action": "approve",
        }
        value = by_kwarg.get(kwarg)
        if value is None:
            raise KeyError(f"the sweep has no object for <{kwarg}> in route {route_name!r}: add one to World")
        return str(value)

    def fingerprint(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of team A's objects, to prove the outsider's calls changed nothing."""
        models = [
            "content.ContentPost",
            "content.PostRevision",
            "content.PostShare",
            "content.ContentTemplate",
            "social.SocialAccount",
            "social.PublishResult",
            "social.MediaAsset",
            "teams.Membership",
            "teams.Brand",
            "teams.BrandAsset",
            "teams.Notification",
            "teams.Task",
            "teams.PostComment",
            "teams.ApprovalWorkflow",
            "teams.ClientApprovalLink",
            "teams.Invitation",
            "analytics.ABTest",
            "analytics.CompetitorPost",
            "analytics.AnalyticsExport",
            "moderation.ModerationCase",
            "scheduling.ScheduledPost",
            "scheduling.RecurringSchedule",
            "scheduling.DataExport",
            "accounts.ApiKey",
            "accounts.UserSession",
            "accounts.DataExport",
        ]
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for label in models:
            model = apps.get_model(label)
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[label] = sorted(map(repr, model.objects.order_by("pk").values_list(*fields)))  # type: ignore[arg-type]
        return rows


def _concrete(route: str, name: str, world: World) -> str:
    return "/" + CONVERTER.sub(lambda m: world.value(name, m.group("name")), route)


@pytest.fixture(autouse=True)
def _no_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_every_route_with_an_object_is_swept_or_exempt_with_a_reason():
    world = World()
    missing = []
    for route, name in _object_routes():
        if name in EXEMPT:
            continue
        if "(?P<" in route:
            missing.append(f"{route} ({name}): a regex route the sweep cannot fill")
            continue
        try:
            _concrete(route, name, world)
        except KeyError as error:
            missing.append(str(error))

    assert not missing, "\n".join(missing)
    assert set(EXEMPT) <= {name for _route, name in _object_routes()}, "an exemption names no route"


SWEPT = [(route, name) for route, name in _object_routes() if name not in EXEMPT and "(?P<" not in route]


@pytest.mark.parametrize(("route", "name"), SWEPT, ids=[f"{name} {route}" for route, name in SWEPT])
def test_another_teams_user_gets_404_and_changes_nothing(route, name, settings):
    # Every plan feature on, so a plan gate (402) cannot answer before the tenancy check does.
    settings.SELF_HOSTED = True
    world = World()
    url = _concrete(route, name, world)
    client = APIClient()
    if url.startswith("/api/"):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=world.outsider).access}")
    else:
        client.force_login(world.outsider)
    before = world.fingerprint()

    statuses = {}
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {}, format="json")
        statuses[method] = response.status_code
        assert response.status_code in {404, 405}, (method, url, response.status_code, response.content[:300])
        if url.startswith("/api/"):
            body = response.json()
            assert body["success"] is False
            assert body["error"]["code"] in {"NOT_FOUND", "METHOD_NOT_ALLOWED"}

    assert 404 in statuses.values(), statuses
    assert world.fingerprint() == before
