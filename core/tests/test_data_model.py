"""The spec's data model: constraints, cascades, and persistence of every field (Properties 5-6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accounts.models import User
from accounts.tests.factories import UserFactory
from analytics.models import ContentAnalytics
from billing.models import Subscription, UsageQuota
from content.models import ContentPost, PostStatus
from content.tests.factories import ContentPostFactory
from scheduling.models import ScheduledPost
from social.models import PublishResult, PublishStatus, SocialAccount
from social.tests.factories import SocialAccountFactory
from teams.models import Membership, Team
from teams.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_signup_creates_the_personal_team_quota_and_subscription():
    user = User.objects.create_user("ann@example.com", "pw-123456789", first_name="Ann")

    team = user.current_team
    assert team is not None and team.is_personal and team.owner == user
    assert Membership.objects.get(team=team, user=user).role == Membership.Role.OWNER
    assert UsageQuota.objects.get(team=team).max_content_generations == 10
    assert Subscription.objects.get(team=team).tier == "FREE"


def test_user_and_personal_team_are_created_atomically():
    # given a failure after the team is written, inside the same save
    def explode(sender, instance, created, **kwargs):
        raise RuntimeError("disk full")

    post_save.connect(explode, sender=Team, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            User.objects.create_user("bob@example.com", "pw-123456789")
    finally:
        post_save.disconnect(dispatch_uid="test-explode", sender=Team)

    # then neither the user nor a team survived
    assert not User.objects.filter(email="bob@example.com").exists()
    assert not Team.objects.filter(owner__email="bob@example.com").exists()


def test_email_is_unique_case_insensitively_normalised():
    User.objects.create_user("Ann@Example.com", "pw-123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("ann@example.com", "pw-123456789")


def test_one_personal_team_per_owner():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="Second personal", owner=user, is_personal=True)


def test_membership_is_unique_per_team_and_user():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=membership.team, user=membership.user, role=Membership.Role.VIEWER)


def test_social_account_unique_per_team_platform_and_account_id():
    account = SocialAccountFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialAccountFactory(team=account.team, platform=account.platform, account_id=account.account_id)
    # the same platform account may be connected by another team
    SocialAccountFactory(platform=account.platform, account_id=account.account_id)


def test_quota_counters_cannot_go_negative_in_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {UsageQuota._meta.db_table} SET content_generations = -1 WHERE team_id = %s",
            [user.current_team.pk.hex if connection.vendor == "sqlite" else user.current_team.pk],
        )


def _post_with_everything():
    post = ContentPostFactory()
    account = SocialAccountFactory(team=post.team)
    ContentAnalytics.objects.create(post=post, platform="sandbox", likes=3)
    ScheduledPost.objects.create(
        post=post, social_account=account, platform="sandbox", scheduled_at=timezone.now() + timedelta(hours=1)
    )
    PublishResult.objects.create(post=post, social_account=account, platform="sandbox", status=PublishStatus.SUCCESS)
    return post, account


def test_deleting_a_post_removes_its_analytics_schedules_and_results():
    post, account = _post_with_everything()

    post.delete()

    assert not ContentAnalytics.objects.exists()
    assert not ScheduledPost.objects.exists()
    assert not PublishResult.objects.exists()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_deleting_a_team_removes_everything_it_owns():
    post, _ = _post_with_everything()
    team = post.team

    team.delete()

    for model in (
        ContentPost,
        SocialAccount,
        ContentAnalytics,
        ScheduledPost,
        PublishResult,
        UsageQuota,
        Subscription,
        Membership,
    ):
        assert not model.objects.filter().exists(), model.__name__


def test_author_leaving_keeps_shared_team_posts():
    # given a post written by a member in someone else's team
    team = TeamFactory()
    writer = MembershipFactory(team=team).user
    post = ContentPostFactory(author=writer, team=team)

    writer.delete()

    post.refresh_from_db()
    assert post.author is None
    assert post.team == team


def test_deleting_a_user_removes_their_personal_workspace():
    post = ContentPostFactory()
    user = post.author

    user.delete()

    assert not Team.objects.filter(owner_id=user.pk).exists()
    assert not ContentPost.objects.filter(pk=post.pk).exists()


text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300)
hashtags = st.lists(st.from_regex(r"#[^\s#]{1,20}", fullmatch=True).filter(lambda s: "\x00" not in s), max_size=8)
metadata = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10),
    st.one_of(st.integers(-(10**6), 10**6), st.booleans(), st.text(max_size=20).filter(lambda s: "\x00" not in s)),
    max_size=5,
)


class ContentPostPersistenceProperties(HypothesisTestCase):
    # Property 5: Complete Data Persistence with Metadata
    @settings(max_examples=40, deadline=None)
    @given(
        content=text.filter(lambda s: s.strip() and "\x00" not in s),
        hashtags=hashtags,
        metadata=metadata,
        status=st.sampled_from(PostStatus.values),
        score=st.none() | st.floats(min_value=0, max_value=100),
    )
    def test_a_saved_post_reads_back_identically_with_timestamps(self, content, hashtags, metadata, status, score):
        author = UserFactory()
        saved = ContentPost.objects.create(
            team=author.current_team,
            author=author,
            content=content,
            hashtags=hashtags,
            metadata=metadata,
            status=status,
            engagement_score=score,
            platform="linkedin",
        )

        loaded = ContentPost.objects.get(pk=saved.pk)

        assert (loaded.content, loaded.hashtags, loaded.metadata, loaded.status) == (
            content,
            hashtags,
            metadata,
            status,
        )
        assert loaded.engagement_score == score
        assert loaded.created_at is not None and loaded.updated_at >= loaded.created_at
        assert loaded.team_id == author.current_team_id


class TransactionIntegrityProperties(HypothesisTestCase):
    # Property 6: Database Transaction Integrity and Performance
    @settings(max_examples=25, deadline=None)
    @given(n_posts=st.integers(min_value=1, max_value=5), fail_at=st.integers(min_value=0, max_value=5))
    def test_a_write_that_fails_part_way_leaves_nothing_behind(self, n_posts, fail_at):
        author = UserFactory()
        before = ContentPost.objects.count(), ContentAnalytics.objects.count()
        try:
            with transaction.atomic():
                for i in range(n_posts):
                    if i == fail_at:
                        raise RuntimeError("failure mid-write")
                    post = ContentPost.objects.create(team=author.current_team, author=author, content=f"post {i}")
                    ContentAnalytics.objects.create(post=post, platform="sandbox", likes=i)
        except RuntimeError:
            assert (ContentPost.objects.count(), ContentAnalytics.objects.count()) == before
        else:
            assert ContentPost.objects.count() == before[0] + n_posts
