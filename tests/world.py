"""One team's world with an object of every kind a URL can name, for the sweeps in tests/."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.api_keys import api_key_create
from accounts.gdpr import data_export_link_token
from accounts.models import DataExport as PersonalExport
from accounts.models import UserSession
from accounts.tests.factories import UserFactory
from analytics.models import ABTest, AnalyticsExport, CompetitorPost, ContentAnalytics
from analytics.services import export_token
from content.models import (
    ApprovalWorkflow,
    BrandAsset,
    ClientApprovalLink,
    ContentTemplate,
    ContentTemplateVersion,
    PostComment,
    PostRevision,
    PostShare,
    Task,
)
from content.tests.factories import ContentPostFactory
from integrations.models import Feed, FeedItem, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from moderation.tests.factories import ModerationCaseFactory
from scheduling.models import DataExport as TeamExport
from scheduling.models import RecurringSchedule
from scheduling.tests.factories import ScheduledPostFactory
from social.models import MediaAsset, SandboxPost
from social.services.publishing import publish_result_prepare
from social.tests.factories import SocialAccountFactory
from teams.models import ActivityEvent, Invitation, Membership
from teams.tests.factories import BrandFactory, MembershipFactory, NotificationFactory


def url_routes() -> list[tuple[str, str]]:
    """(route, name) of every URL pattern of the project, with the prefixes of its includes joined."""

    def walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, str]]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.name or ""

    return list(walk(get_resolver(), ""))


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
        self.delivery = SandboxPost.objects.create(
            account_id=self.account.account_id, text=self.post.content, idempotency_key=self.result.idempotency_key
        )
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
        self.invitation_token = "sweep-invitation-token"
        self.invitation = Invitation.objects.create(
            team=self.team,
            email="someone@example.com",
            token_hash=hashlib.sha256(self.invitation_token.encode()).hexdigest(),
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
        ContentAnalytics.objects.create(post=self.post, platform=self.post.platform, views=50, likes=5)
        ActivityEvent.objects.create(team=self.team, actor=self.owner, verb="post.created", summary="First post")
        self.webhook = WebhookEndpoint.objects.create(
            team=self.team, url="https://hooks.example.com/a", events=["post.published"], secret="whsec_sweep"
        )
        self.webhook_delivery = WebhookDelivery.objects.create(
            endpoint=self.webhook, event_id="evt_sweep", event_type="post.published", payload={"id": "evt_sweep"}
        )
        WebhookAttempt.objects.create(delivery=self.webhook_delivery, number=1, response_status=500)
        self.feed = Feed.objects.create(team=self.team, url="https://blog.example.com/feed.xml")
        FeedItem.objects.create(team=self.team, feed=self.feed, guid="urn:sweep", post=self.post)

    def value(self, route_name: str, kwarg: str) -> str:
        by_route = {
            ("export-download", "token"): export_token(self.analytics_export),
            ("data_export_download", "token"): data_export_link_token(self.personal_export),
        }
        if kwarg == "token" and route_name.startswith("api-invitation"):
            return self.invitation_token
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
            "delivery_id": self.delivery.pk,
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
            "endpoint_id": self.webhook.pk,
            "webhook_delivery_id": self.webhook_delivery.pk,
            "feed_id": self.feed.pk,
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
            "social.SandboxPost",
            "teams.Membership",
            "content.Brand",
            "content.BrandAsset",
            "teams.Notification",
            "content.Task",
            "content.PostComment",
            "content.ApprovalWorkflow",
            "content.ClientApprovalLink",
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
            "integrations.WebhookEndpoint",
            "integrations.WebhookDelivery",
            "integrations.WebhookAttempt",
            "integrations.Feed",
            "integrations.FeedItem",
        ]
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for label in models:
            model = apps.get_model(label)
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[label] = sorted(map(repr, model.objects.order_by("pk").values_list(*fields)))  # type: ignore[arg-type]
        return rows

    def grow(self, copies: int) -> None:
        """Add `copies` more of every kind of object to team A: lists and dashboards must not notice."""
        for n in range(copies):
            member = UserFactory()
            MembershipFactory(team=self.team, user=member, role=Membership.Role.REVIEWER)
            post = ContentPostFactory(author=member, team=self.team, content=f"Grown post {n}", hashtags=["#grow"])
            account = SocialAccountFactory(team=self.team)
            publish_result_prepare(post=post, account=account)
            ScheduledPostFactory(post=post, social_account=account)
            PostRevision.objects.create(post=post, number=1, content="Draft")
            PostShare.objects.create(post=post, user=self.teammate)
            PostComment.objects.create(team=self.team, post=post, author=member, body=f"Comment {n}")
            ContentAnalytics.objects.create(post=post, platform=post.platform, views=100 + n, likes=n)
            brand = BrandFactory(team=self.team)
            BrandAsset.objects.create(brand=brand, kind=BrandAsset.Kind.COLOR, name=f"C{n}", color="#112233")
            ApprovalWorkflow.objects.create(team=self.team, brand=brand, name=f"Brand flow {n}")
            MediaAsset.objects.create(
                team=self.team, kind="image", content_type="image/png", size_bytes=1, file=f"media/g{n}.png"
            )
            NotificationFactory(user=self.owner, team=self.team)
            Task.objects.create(team=self.team, title=f"Task {n}", assignee=member, post=post)
            ClientApprovalLink.objects.create(
                team=self.team, post=post, expires_at=timezone.now() + dt.timedelta(days=1)
            )
            Invitation.objects.create(
                team=self.team,
                email=f"invitee{n}@example.com",
                token_hash=hashlib.sha256(f"grow-{n}-{post.pk}".encode()).hexdigest(),
                expires_at=timezone.now() + dt.timedelta(days=3),
            )
            template = ContentTemplate.objects.create(team=self.team, name=f"Template {n}", body="Body")
            ContentTemplateVersion.objects.create(template=template, number=1, name=template.name, body="v1")
            ABTest.objects.create(team=self.team, name=f"Test {n}", platform="linkedin")
            CompetitorPost.objects.create(team=self.team, competitor=f"Rival {n}", platform="linkedin", text="Hi")
            ModerationCaseFactory(team=self.team, author=member)
            RecurringSchedule.objects.create(
                team=self.team,
                post=post,
                social_account=account,
                rrule="FREQ=DAILY",
                start_date=dt.date(2030, 1, 1),
                start_time=dt.time(8, 0),
            )
            TeamExport.objects.create(team=self.team, requested_by=self.owner, format=TeamExport.Format.CSV)
            AnalyticsExport.objects.create(team=self.team, requested_by=self.owner, format="JSON", time_range="7d")
            api_key_create(user=self.owner, name=f"key {n}", scopes=["read"])
            UserSession.objects.create(user=self.owner, session_key=f"grown-session-{n}-{post.pk}")
            ActivityEvent.objects.create(team=self.team, actor=member, verb="post.created", summary=f"Post {n}")
            webhook = WebhookEndpoint.objects.create(
                team=self.team, url=f"https://hooks.example.com/{n}", events=["post.failed"], secret=f"whsec_{n}"
            )
            delivery = WebhookDelivery.objects.create(
                endpoint=webhook, event_id=f"evt_{n}", event_type="post.failed", payload={"n": n}
            )
            WebhookAttempt.objects.create(delivery=delivery, number=1, response_status=200, succeeded=True)
            feed = Feed.objects.create(
                team=self.team, url=f"https://blog{n}.example.com/feed.xml", queue_account=account
            )
            FeedItem.objects.create(team=self.team, feed=feed, guid=f"urn:grow:{n}", post=post)
