"""Collaboration writes that do not change a post's state: workflows, comments, tasks, client links.

State changes (submit, approve, ...) live in `content.workflow`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from content.models import ApprovalStage, ApprovalWorkflow, Brand, ClientApprovalLink, PostComment, Task
from core.api.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from core.events import COMMENT_ADDED, event_emit, post_summary
from core.stored_messages import Message
from teams.models import Membership, Notification, Team
from teams.permissions import ROLE_CAPABILITIES, Capability, TeamContext, require
from teams.services import activity_record, notification_send

MENTION = re.compile(r"(?<![\w.])@([\w.+-]+@[\w-]+\.[\w.-]+|[\w.-]+)")
# The salt keeps the name it had in teams: links already sent must keep verifying.
CLIENT_LINK_SALT = "teams.client-approval-link"


def _post_title(post: Any) -> str:
    return (post.title or post.content[:60]).strip() or "Untitled post"


def _post_url(post: Any) -> str:
    from django.urls import reverse

    return reverse("content:post_detail", args=[post.pk])


# Workflows -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StageInput:
    name: str
    required_approvals: int
    reviewer_ids: list[Any]


def workflow_save(
    *,
    ctx: TeamContext,
    name: str,
    stages: list[StageInput],
    brand: Brand | None = None,
    is_active: bool = True,
    workflow: ApprovalWorkflow | None = None,
) -> ApprovalWorkflow:
    """Create or replace a workflow's stages. Named reviewers must be members whose role may review."""
    require(ctx, Capability.MANAGE_MEMBERS)
    if brand is not None and brand.team_id != ctx.team.pk:
        raise NotFoundError("No such brand.")
    if not stages:
        raise ValidationFailed("A workflow needs at least one stage.", details={"stages": ["Add a stage."]})
    review_roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.REVIEW in caps]
    reviewers_by_id = {
        str(m.user_id): m.user
        for m in Membership.objects.filter(team=ctx.team, role__in=review_roles).select_related("user")
    }
    errors: dict[str, list[str]] = {}
    for index, stage in enumerate(stages):
        unknown = [str(r) for r in stage.reviewer_ids if str(r) not in reviewers_by_id]
        if unknown:
            errors[f"stages[{index}].reviewerIds"] = [f"Not a member who may review: {', '.join(unknown)}."]
        if stage.required_approvals < 1:
            errors[f"stages[{index}].requiredApprovals"] = ["At least one approval."]
        elif stage.reviewer_ids and stage.required_approvals > len(set(map(str, stage.reviewer_ids))):
            errors[f"stages[{index}].requiredApprovals"] = ["More approvals than named reviewers."]
        if not stage.name.strip():
            errors[f"stages[{index}].name"] = ["Name the stage."]
    if errors:
        raise ValidationFailed("Check the workflow's stages.", details=errors)
    with transaction.atomic():
        if workflow is None:
            clash = ApprovalWorkflow.objects.filter(team=ctx.team, brand=brand).exists()
            if clash:
                raise ConflictError(
                    "This team (or brand) already has a workflow; edit that one.", details={"brandId": ["Taken."]}
                )
            workflow = ApprovalWorkflow.objects.create(team=ctx.team, brand=brand, name=name, is_active=is_active)
        else:
            workflow.name, workflow.is_active = name, is_active
            workflow.save(update_fields=["name", "is_active", "updated_at"])
            workflow.stages.all().delete()
        for position, stage in enumerate(stages):
            row = ApprovalStage.objects.create(
                workflow=workflow,
                position=position,
                name=stage.name.strip(),
                required_approvals=stage.required_approvals,
            )
            row.reviewers.set([reviewers_by_id[str(r)] for r in dict.fromkeys(map(str, stage.reviewer_ids))])
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="workflow.saved",
            summary=Message(gettext_noop("saved the workflow “%(name)s”"), name=name),
            target=workflow,
        )
    return workflow


def workflow_delete(*, ctx: TeamContext, workflow: ApprovalWorkflow) -> None:
    require(ctx, Capability.MANAGE_MEMBERS)
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="workflow.deleted",
        summary=Message(gettext_noop("deleted the workflow “%(name)s”"), name=workflow.name),
    )
    workflow.delete()


# Comments --------------------------------------------------------------------------------------
def mentioned_members(*, team: Team, body: str) -> list[User]:
    """Members named in the text as @email or @handle (the part of their email before the @)."""
    tokens = {t.lower().rstrip(".") for t in MENTION.findall(body)}
    if not tokens:
        return []
    members = [m.user for m in Membership.objects.filter(team=team).select_related("user")]
    found = []
    for user in members:
        email = user.email.lower()
        if email in tokens or email.split("@", 1)[0] in tokens:
            found.append(user)
    return found


def comment_create(
    *,
    ctx: TeamContext,
    post: Any,
    body: str,
    parent: PostComment | None = None,
    can_see: Callable[[User], bool] | None = None,
) -> PostComment:
    """`can_see` (from the content app, which knows who may read the post) keeps a mention from
    notifying someone the post is hidden from, such as a client it is not shared with."""
    require(ctx, Capability.COMMENT)
    body = body.strip()
    if not body:
        raise ValidationFailed("Write a comment.", details={"body": ["Required."]})
    if len(body) > 5000:
        raise ValidationFailed("Keep comments under 5000 characters.", details={"body": ["Too long."]})
    if parent is not None and parent.post_id != post.pk:
        raise NotFoundError("No such comment.")
    with transaction.atomic():
        comment = PostComment.objects.create(
            team=ctx.team, post=post, author=ctx.user, body=body, parent=parent.parent or parent if parent else None
        )
        mentioned = [
            u
            for u in mentioned_members(team=ctx.team, body=body)
            if u.pk != ctx.user.pk and (can_see is None or can_see(u))
        ]
        comment.mentions.set(mentioned)
        title = _post_title(post)
        for user in mentioned:
            notification_send(
                user=user,
                team=ctx.team,
                title=Message(
                    gettext_noop("%(name)s mentioned you on “%(post)s”"), name=ctx.user.get_short_name(), post=title
                ),
                body=body[:200],
                url=_post_url(post) + "#comments",
                event=Notification.Event.MENTION,
            )
        author = post.author
        if author is not None and author.pk != ctx.user.pk and author not in mentioned:
            notification_send(
                user=author,
                team=ctx.team,
                title=Message(
                    gettext_noop("%(name)s commented on “%(post)s”"), name=ctx.user.get_short_name(), post=title
                ),
                body=body[:200],
                url=_post_url(post) + "#comments",
                event=Notification.Event.COMMENT,
            )
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="comment.created",
            summary=Message(gettext_noop("commented on “%(post)s”"), post=title),
            target=post,
            data={"comment": str(comment.pk), "mentions": [str(u.pk) for u in mentioned]},
        )
        event_emit(
            name=COMMENT_ADDED,
            team_id=ctx.team.pk,
            data={
                "post": post_summary(post),
                "comment": {
                    "id": str(comment.pk),
                    "body": comment.body,
                    "author_id": str(ctx.user.pk),
                    "parent_id": str(comment.parent_id) if comment.parent_id else None,
                    "created_at": comment.created_at.isoformat(),
                },
            },
        )
    return comment


def comment_set_resolved(*, ctx: TeamContext, comment: PostComment, resolved: bool) -> PostComment:
    require(ctx, Capability.COMMENT)
    if resolved and comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), ctx.user
    elif not resolved:
        comment.resolved_at, comment.resolved_by = None, None
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="comment.resolved" if resolved else "comment.reopened",
        summary=Message(
            gettext_noop("resolved a comment on “%(post)s”")
            if resolved
            else gettext_noop("reopened a comment on “%(post)s”"),
            post=_post_title(comment.post),
        ),
        target=comment.post,
    )
    return comment


# Tasks -----------------------------------------------------------------------------------------
def task_create(
    *,
    ctx: TeamContext,
    title: str,
    assignee: User,
    due_at: datetime | None = None,
    notes: str = "",
    post: Any = None,
) -> Task:
    require(ctx, Capability.CREATE_CONTENT)
    if not Membership.objects.filter(team=ctx.team, user=assignee).exists():
        raise ValidationFailed("Assign the task to a member of this team.", details={"assigneeId": ["Not a member."]})
    if post is not None and post.team_id != ctx.team.pk:
        raise NotFoundError("No such post.")
    if not title.strip():
        raise ValidationFailed("Name the task.", details={"title": ["Required."]})
    with transaction.atomic():
        task = Task.objects.create(
            team=ctx.team,
            post=post,
            title=title.strip(),
            notes=notes,
            assignee=assignee,
            created_by=ctx.user,
            due_at=due_at,
        )
        if assignee.pk != ctx.user.pk:
            notification_send(
                user=assignee,
                team=ctx.team,
                title=Message(gettext_noop("New task: %(task)s"), task=task.title),
                body=Message(gettext_noop("Due %(when)s"), when=f"{timezone.localtime(due_at):%Y-%m-%d %H:%M}")
                if due_at
                else "",
                url=_post_url(post) if post is not None else "",
                event=Notification.Event.TASK_ASSIGNED,
            )
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="task.created",
            summary=Message(
                gettext_noop("assigned “%(task)s” to %(name)s"), task=task.title, name=assignee.get_short_name()
            ),
            target=post if post is not None else task,
            data={"task": str(task.pk)},
        )
    return task


def task_set_done(*, ctx: TeamContext, task: Task, done: bool) -> Task:
    if task.assignee_id != ctx.user.pk:
        require(ctx, Capability.CREATE_CONTENT)
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at", "updated_at"])
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="task.done" if done else "task.reopened",
        summary=Message(
            gettext_noop("finished “%(task)s”") if done else gettext_noop("reopened “%(task)s”"), task=task.title
        ),
        target=task.post if task.post_id else task,
        data={"task": str(task.pk)},
    )
    return task


def task_deadlines_remind(*, now: datetime | None = None) -> int:
    """Tell assignees once before a deadline and once when it has passed. Safe to run repeatedly.

    Each reminder is claimed by a conditional update, so two beat processes send it once.
    """
    now = now or timezone.now()
    lead = timedelta(minutes=settings.TEAMS_TASK_REMINDER_MINUTES)
    sent = 0
    open_tasks = Task.objects.filter(done_at__isnull=True, due_at__isnull=False).select_related("assignee", "team")
    for task in open_tasks.filter(reminder_sent_at__isnull=True, due_at__lte=now + lead, due_at__gt=now):
        with transaction.atomic():
            if Task.objects.filter(pk=task.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                notification_send(
                    user=task.assignee,
                    team=task.team,
                    title=Message(gettext_noop("Due soon: %(task)s"), task=task.title),
                    body=Message(
                        gettext_noop("Due %(when)s"), when=f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}"
                    ),
                    event=Notification.Event.DEADLINE,
                    kind=Notification.Kind.WARNING,
                )
                sent += 1
    for task in open_tasks.filter(overdue_sent_at__isnull=True, due_at__lte=now):
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, overdue_sent_at__isnull=True).update(overdue_sent_at=now)
            if claimed:
                notification_send(
                    user=task.assignee,
                    team=task.team,
                    title=Message(gettext_noop("Overdue: %(task)s"), task=task.title),
                    body=Message(
                        gettext_noop("Was due %(when)s"), when=f"{timezone.localtime(task.due_at):%Y-%m-%d %H:%M}"
                    ),
                    event=Notification.Event.DEADLINE,
                    kind=Notification.Kind.ERROR,
                )
                sent += 1
    return sent


# Client approval links -------------------------------------------------------------------------
def client_link_create(
    *, ctx: TeamContext, post: Any, client_name: str, client_email: str, days: int | None = None
) -> tuple[ClientApprovalLink, str]:
    """A link for one post; returns the row and its signed token (shown once, never stored)."""
    if not (ctx.can(Capability.REVIEW) or ctx.can(Capability.PUBLISH)):
        raise PermissionDeniedError("Your role cannot share posts for client approval.")
    if post.status != "IN_REVIEW":
        raise ConflictError("Submit the post for review before asking a client.", details={"status": [post.status]})
    days = days or settings.TEAMS_CLIENT_LINK_DAYS
    if not 1 <= days <= 90:
        raise ValidationFailed("Links last between 1 and 90 days.", details={"days": ["Between 1 and 90."]})
    link = ClientApprovalLink.objects.create(
        team=ctx.team,
        post=post,
        created_by=ctx.user,
        client_name=client_name.strip(),
        client_email=client_email.strip(),
        expires_at=timezone.now() + timedelta(days=days),
    )
    activity_record(
        team=ctx.team,
        actor=ctx.user,
        verb="client_link.created",
        summary=Message(
            gettext_noop("shared “%(post)s” with %(client)s for approval"),
            post=_post_title(post),
            client=client_email or client_name,
        )
        if client_email or client_name
        else Message(gettext_noop("shared “%(post)s” with a client for approval"), post=_post_title(post)),
        target=post,
    )
    return link, client_link_token(link)


def client_link_token(link: ClientApprovalLink) -> str:
    return signing.dumps({"link": str(link.pk), "post": str(link.post_id)}, salt=CLIENT_LINK_SALT, compress=True)


class ClientLinkInvalid(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def client_link_resolve(*, token: str) -> ClientApprovalLink:
    """The link a token names, or ClientLinkInvalid saying why (tampered, revoked, expired, used)."""
    try:
        payload = signing.loads(token, salt=CLIENT_LINK_SALT)
        link = ClientApprovalLink.objects.select_related("post", "team").get(
            pk=payload["link"], post_id=payload["post"]
        )
    except (
        signing.BadSignature,
        ClientApprovalLink.DoesNotExist,
        DjangoValidationError,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        raise ClientLinkInvalid("invalid", "This approval link is not valid. Ask for a new one.") from exc
    if link.revoked_at is not None:
        raise ClientLinkInvalid("revoked", "This approval link was withdrawn by the team.")
    if link.expires_at <= timezone.now():
        raise ClientLinkInvalid("expired", "This approval link has expired. Ask the team for a new one.")
    return link


def client_link_revoke(*, ctx: TeamContext, link: ClientApprovalLink) -> ClientApprovalLink:
    if not (ctx.can(Capability.REVIEW) or ctx.can(Capability.PUBLISH)):
        raise PermissionDeniedError("Your role cannot withdraw client links.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
        activity_record(
            team=ctx.team,
            actor=ctx.user,
            verb="client_link.revoked",
            summary=Message(gettext_noop("withdrew the client link for “%(post)s”"), post=_post_title(link.post)),
            target=link.post,
        )
    return link
