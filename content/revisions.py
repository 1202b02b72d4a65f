"""Post version history: every edit of the words is a PostRevision; restore records a new one."""

from __future__ import annotations

import difflib

from django.db.models import Max, QuerySet
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from content.models import ContentPost, PostRevision
from core.api.errors import NotFoundError
from core.stored_messages import Message
from teams.permissions import Capability, TeamContext, require
from teams.services import activity_record

TRACKED_FIELDS = ("title", "content", "hashtags")


def _text(title: str, content: str, hashtags: list[str]) -> list[str]:
    lines = [gettext("Title: %(title)s") % {"title": title}, ""] + content.splitlines()
    if hashtags:
        lines += ["", " ".join(hashtags)]
    return lines


def revision_record(*, post: ContentPost, editor: User | None, restored_from: int | None = None) -> PostRevision:
    """Snapshot the post as it is now. Called inside the writing transaction."""
    last = PostRevision.objects.filter(post=post).aggregate(n=Max("number"))["n"] or 0
    return PostRevision.objects.create(
        post=post,
        number=last + 1,
        title=post.title,
        content=post.content,
        hashtags=list(post.hashtags or []),
        editor=editor,
        restored_from=restored_from,
    )


def revision_diff(*, old: PostRevision | None, new: PostRevision) -> str:
    """A unified diff of one revision against the one before it (or against nothing)."""
    before = _text(old.title, old.content, old.hashtags) if old else []
    after = _text(new.title, new.content, new.hashtags)
    return "\n".join(
        difflib.unified_diff(
            before,
            after,
            fromfile=gettext("r%(n)s") % {"n": old.number} if old else gettext("(none)"),
            tofile=gettext("r%(n)s") % {"n": new.number},
            lineterm="",
        )
    )


def revisions_for_post(*, post: ContentPost) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(post=post).select_related("editor").order_by("-number")


def revision_get(*, post: ContentPost, number: object) -> PostRevision:
    try:
        return PostRevision.objects.select_related("editor").get(post=post, number=int(str(number)))
    except (PostRevision.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError("No such revision.") from exc


def revision_previous(*, revision: PostRevision) -> PostRevision | None:
    return PostRevision.objects.filter(post_id=revision.post_id, number__lt=revision.number).order_by("-number").first()


def revision_restore(*, ctx: TeamContext, post: ContentPost, revision: PostRevision) -> ContentPost:
    """Put an old revision's words back. It is an edit like any other: a new revision, review reset."""
    from content.services import post_update

    require(ctx, Capability.CREATE_CONTENT)
    post = post_update(
        ctx=ctx,
        post=post,
        changes={"title": revision.title, "content": revision.content, "hashtags": list(revision.hashtags)},
        restored_from=revision.number,
    )
    activity_record(
        team=post.team,
        actor=ctx.user,
        verb="revision.restored",
        summary=Message(
            gettext_noop("restored revision %(number)s of “%(post)s”"),
            number=revision.number,
            post=post.title or post.content[:60],
        ),
        target=post,
        data={"revision": revision.number},
    )
    return post
