"""Sharing a post with a client member: the only way a client sees a post.

A client (an outside approver) sees only the posts shared with them (`selectors.posts_visible`).
Owners, admins and editors share and unshare from the post page or the API; the client is told,
and the team's activity feed records it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.models import User
from content.models import ContentPost, PostShare
from core.api.errors import NotFoundError, ValidationFailed
from core.stored_messages import Message
from teams.models import Membership, Notification
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record, notification_send


def _title(post: ContentPost) -> str:
    return (post.title or post.content[:60]).strip() or "Untitled post"


def shares_for_post(*, post: ContentPost) -> QuerySet[PostShare]:
    return PostShare.objects.filter(post=post).select_related("user", "shared_by").order_by("created_at")


def shareable_clients(*, ctx: TeamContext, post: ContentPost) -> QuerySet[User]:
    """The team's client members the post is not yet shared with: the picker's choices."""
    return (
        User.objects.filter(memberships__team=ctx.team, memberships__role=Membership.Role.CLIENT)
        .exclude(post_shares__post=post)
        .order_by("email")
    )


def can_see_post(post: ContentPost) -> Callable[[User], bool]:
    """Whether a member may read `post`: everyone in the team but a client it is not shared with.
    Comments pass it on, so an @mention never tells a client about a post hidden from them."""
    hidden = set(
        Membership.objects.filter(team_id=post.team_id, role=Membership.Role.CLIENT)
        .exclude(user__post_shares__post=post)
        .values_list("user_id", flat=True)
    )
    return lambda user: user.pk not in hidden


def _client_member(*, ctx: TeamContext, user_id: Any) -> User:
    """A member of the acting team who is a client: another team's user is a 404, a non-client a 400."""
    try:
        membership = Membership.objects.select_related("user").get(team=ctx.team, user_id=user_id)
    except (Membership.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFoundError("No such member.") from exc
    if membership.role != Membership.Role.CLIENT:
        raise ValidationFailed(
            "Only client members are shared with: the rest of the team already sees every post.",
            details={"userId": ["Not a client of this team."]},
        )
    return membership.user


def post_share(*, ctx: TeamContext, post: ContentPost, user_id: Any) -> tuple[PostShare, bool]:
    """Share `post` with the client `user_id`. Returns (share, created); sharing again changes nothing."""
    require(ctx, Capability.CREATE_CONTENT)
    client = _client_member(ctx=ctx, user_id=user_id)
    existing = PostShare.objects.filter(post=post, user=client).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            share = PostShare.objects.create(post=post, user=client, shared_by=ctx.user)
            title = _title(post)
            activity_record(
                team=ctx.team,
                actor=ctx.user,
                verb="post.shared",
                summary=Message(
                    gettext_noop("%(name)s shared “%(post)s” with %(email)s"),
                    name=ctx.user.get_short_name(),
                    post=title,
                    email=client.email,
                ),
                target=post,
                data={"userId": str(client.pk)},
            )
            notification_send(
                user=client,
                team=ctx.team,
                title=Message(
                    gettext_noop("%(name)s shared “%(post)s” with you"), name=ctx.user.get_short_name(), post=title
                ),
                body=Message(gettext_noop("%(team)s would like your review."), team=ctx.team.name),
                url=reverse("content:post_detail", args=[post.pk]),
                event=Notification.Event.APPROVAL_REQUESTED,
            )
    except IntegrityError:  # a concurrent share of the same post with the same client won
        return PostShare.objects.get(post=post, user=client), False
    return share, True


def post_unshare(*, ctx: TeamContext, post: ContentPost, user_id: Any) -> None:
    """Stop sharing `post` with a client: from now on it is a 404 for them."""
    require(ctx, Capability.CREATE_CONTENT)
    try:
        share = PostShare.objects.select_related("user").get(post=post, user_id=user_id)
    except (PostShare.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFoundError("The post is not shared with this member.") from exc
    with transaction.atomic():
        share.delete()
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="post.unshared",
            summary=Message(
                gettext_noop("%(name)s stopped sharing “%(post)s” with %(email)s"),
                name=ctx.user.get_short_name(),
                post=_title(post),
                email=share.user.email,
            ),
            target=post,
            data={"userId": str(share.user_id)},
        )
