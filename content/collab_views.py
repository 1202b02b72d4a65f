"""The post page with its collaboration panel, and the client's magic-link review page.

Every member-facing view fetches the post through `selectors.post_get(ctx=ctx, ...)`, so another
team's post is a 404, and so is a post not shared with a client member. Views a client may open are
marked `@clients_allowed`; every other one is a 403 for a client. The magic-link review page needs no
account: the signed link is the credential.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from content import collab_selectors, platform_rules, selectors
from content.collaboration import (
    ClientLinkInvalid,
    client_link_create,
    client_link_resolve,
    client_link_revoke,
    comment_create,
    comment_set_resolved,
    task_create,
)
from content.models import ClientApprovalLink, ContentPost
from content.post_panels import post_panels_render
from content.revisions import revision_diff, revision_get, revision_previous, revision_restore, revisions_for_post
from content.sharing import can_see_post, post_share, post_unshare, shareable_clients, shares_for_post
from content.workflow import (
    SUBMITTABLE,
    approval_required,
    current_stage,
    post_approve,
    post_client_decide,
    post_request_changes,
    post_submit,
    stage_reviewers,
    stages_for_post,
)
from core.api.errors import ApiError
from teams.collab_selectors import post_history
from teams.permissions import Capability, TeamContext, clients_allowed, request_team_context

CLIENT_LINK_SESSION_KEY = "collab_client_link_url"


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Mention a teammate with @name or @email."),
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ShareForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Share with client"))  # type: ignore[arg-type]

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = choices  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.get_short_name()} ({u.email})"  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Task"), max_length=200)
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Assign to"))  # type: ignore[arg-type]
    due_at = forms.DateTimeField(
        label=gettext_lazy("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["assignee"].queryset = User.objects.filter(memberships__team=team).order_by("email")  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = lambda u: f"{u.get_short_name()} ({u.email})"  # type: ignore[attr-defined]


class ClientLinkForm(forms.Form):
    client_name = forms.CharField(label=gettext_lazy("Client name"), max_length=120, required=False)
    client_email = forms.EmailField(label=gettext_lazy("Client email"), required=False)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=90, initial=7)


class ClientDecisionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=120)
    email = forms.EmailField(label=gettext_lazy("Your email"))
    comment = forms.CharField(
        label=gettext_lazy("Comment"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("changes", "changes")], widget=forms.HiddenInput)


def _post_or_404(ctx: TeamContext, post_id: str) -> ContentPost:
    return selectors.post_get(ctx=ctx, post_id=post_id)


def _back(post: ContentPost, anchor: str = "") -> HttpResponse:
    return redirect(reverse("content:post_detail", args=[post.pk]) + anchor)


def _panel_context(request: HttpRequest, ctx: TeamContext, post: ContentPost) -> dict[str, Any]:
    stage = current_stage(post) if post.status == "IN_REVIEW" else None
    reviewers = stage_reviewers(post, stage) if stage else []
    decisions = list(collab_selectors.decisions_for_post(post=post))
    round_decisions = [d for d in decisions if d.round == post.review_round and d.invalidated_at is None]
    already = stage is not None and any(
        d.reviewer_id == ctx.user.pk and d.stage_position == stage.position for d in round_decisions
    )
    may_review = (
        stage is not None and ctx.can(Capability.REVIEW) and any(r.pk == ctx.user.pk for r in reviewers) and not already
    )
    return {
        "post": post,
        "ctx": ctx,
        "stage": stage,
        "stages": stages_for_post(post),
        "reviewers": reviewers,
        "decisions": decisions,
        "may_submit": ctx.can(Capability.CREATE_CONTENT) and post.status in SUBMITTABLE,
        "may_review": may_review,
        "may_comment": ctx.can(Capability.COMMENT),
        # Resolving is the team's own bookkeeping (comment_resolve is closed to clients).
        "may_resolve": ctx.can(Capability.COMMENT) and not ctx.is_client,
        "may_write": ctx.can(Capability.CREATE_CONTENT),
        "may_share": not ctx.is_client and (ctx.can(Capability.REVIEW) or ctx.can(Capability.PUBLISH)),
        "may_share_clients": ctx.can(Capability.CREATE_CONTENT),
        "is_client": ctx.is_client,
        "approval_required": approval_required(post),
        "comments": collab_selectors.comments_for_post(post=post),
        "comment_form": CommentForm(),
        "decision_form": DecisionForm(),
        # A client sees the post, its review, comments and revisions: not the team's tasks or links.
        "tasks": collab_selectors.tasks_for_post(post=post) if not ctx.is_client else [],
        "task_form": TaskForm(team=ctx.team) if not ctx.is_client else None,
        "revisions": revisions_for_post(post=post)[:20],
        "history": post_history(post=post)[:30],
        "client_links": collab_selectors.client_links_for_post(post=post) if not ctx.is_client else [],
        "shares": list(shares_for_post(post=post)) if not ctx.is_client else [],
        "share_form": ShareForm(choices=shareable_clients(ctx=ctx, post=post)) if not ctx.is_client else None,
        "client_link_form": ClientLinkForm(),
        "new_client_link": request.session.pop(CLIENT_LINK_SESSION_KEY, None),
        "platform_label": platform_rules.rule_for(post.platform).label if post.platform else "",
        "now": timezone.now(),
        "nav_section": "posts",
    }


@clients_allowed
@login_required
@require_GET
def post_detail(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    context = _panel_context(request, ctx, post)
    context["panels"] = post_panels_render(request, ctx, post)  # publishing and schedules, from the apps above
    return render(request, "content/post_detail.html", context)


def _run(request: HttpRequest, call: Any, success: str) -> bool:
    try:
        call()
    except ApiError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@clients_allowed
@login_required
@require_POST
def post_review_action(request: HttpRequest, post_id: str, action: str) -> HttpResponse:
    """Submit, approve or request changes from the post page."""
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    comment = request.POST.get("comment", "")[:5000]
    if action == "submit":
        _run(request, lambda: post_submit(ctx=ctx, post=post), _("Submitted for approval. Reviewers were notified."))
    elif action == "approve":
        _run(request, lambda: post_approve(ctx=ctx, post=post, comment=comment), _("Approved."))
    elif action == "request-changes":
        _run(
            request,
            lambda: post_request_changes(ctx=ctx, post=post, comment=comment),
            _("Changes requested. The author was notified."),
        )
    else:
        raise Http404("No such action.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # decided inline on the Approvals page: back to the queue
    return _back(post)


@clients_allowed
@login_required
@require_POST
def post_comment(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = collab_selectors.comment_get(team=ctx.team, comment_id=form.cleaned_data["parent"])
        try:
            comment_create(
                ctx=ctx, post=post, body=form.cleaned_data["body"], parent=parent, can_see=can_see_post(post)
            )
        except ApiError as exc:
            error = exc.message
    else:
        error = _("Write a comment first.")
    if getattr(request, "htmx", False):
        context = _panel_context(request, ctx, post)
        context["comment_error"] = error
        status = 200 if not error else (403 if not ctx.can(Capability.COMMENT) else 400)
        return render(request, "content/partials/post_comments.html", context, status=status)
    if error:
        messages.error(request, error)
    return _back(post, "#comments")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, comment_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    comment = collab_selectors.comment_get(team=ctx.team, comment_id=comment_id)
    resolved = request.POST.get("resolved", "1") == "1"
    _run(
        request,
        lambda: comment_set_resolved(ctx=ctx, comment=comment, resolved=resolved),
        _("Comment resolved.") if resolved else _("Comment reopened."),
    )
    return _back(comment.post, "#comments")


@login_required
@require_POST
def post_task_create(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    form = TaskForm(request.POST, team=ctx.team)
    if not form.is_valid():
        messages.error(request, _("Check the task: it needs a title and a member."))
        return _back(post, "#tasks")
    data = form.cleaned_data
    _run(
        request,
        lambda: task_create(ctx=ctx, title=data["title"], assignee=data["assignee"], due_at=data["due_at"], post=post),
        _("Task assigned."),
    )
    return _back(post, "#tasks")


@clients_allowed
@login_required
@require_GET
def revision_detail(request: HttpRequest, post_id: str, number: int) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    revision = revision_get(post=post, number=number)
    previous = revision_previous(revision=revision)
    diff = revision_diff(old=previous, new=revision)
    lines = [
        {"text": line, "kind": "add" if line.startswith("+") else "del" if line.startswith("-") else "ctx"}
        for line in diff.splitlines()
    ]
    return render(
        request,
        "content/revision_detail.html",
        {
            "post": post,
            "revision": revision,
            "previous": previous,
            "lines": lines,
            "may_write": ctx.can(Capability.CREATE_CONTENT),
            "nav_section": "posts",
        },
    )


@login_required
@require_POST
def revision_restore_view(request: HttpRequest, post_id: str, number: int) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    revision = revision_get(post=post, number=number)
    _run(
        request,
        lambda: revision_restore(ctx=ctx, post=post, revision=revision),
        _("Revision %(n)s restored as a new revision.") % {"n": number},
    )
    return _back(post, "#revisions")


@login_required
@require_POST
def post_share_view(request: HttpRequest, post_id: str) -> HttpResponse:
    """Share the post with one of the team's client members (the "Share with client" picker)."""
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    if not ctx.can(Capability.CREATE_CONTENT):
        raise PermissionDenied(_("Your role cannot share posts with clients."))
    form = ShareForm(request.POST, choices=shareable_clients(ctx=ctx, post=post))
    if not form.is_valid():
        context = _panel_context(request, ctx, post)
        context["share_form"] = form
        return render(request, "content/post_detail.html", context, status=400)
    client = form.cleaned_data["user"]
    _run(
        request,
        lambda: post_share(ctx=ctx, post=post, user_id=client.pk),
        _("Shared with %(email)s. They were notified.") % {"email": client.email},
    )
    return _back(post, "#shares")


@login_required
@require_POST
def post_unshare_view(request: HttpRequest, post_id: str, user_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    post_unshare(ctx=ctx, post=post, user_id=user_id)
    messages.success(request, _("No longer shared with that client."))
    return _back(post, "#shares")


@login_required
@require_POST
def client_link_create_view(request: HttpRequest, post_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    post = _post_or_404(ctx, post_id)
    form = ClientLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the client link's fields."))
        return _back(post, "#client-links")
    data = form.cleaned_data
    try:
        _link, token = client_link_create(
            ctx=ctx, post=post, client_name=data["client_name"], client_email=data["client_email"], days=data["days"]
        )
    except ApiError as exc:
        messages.error(request, exc.message)
    else:
        request.session[CLIENT_LINK_SESSION_KEY] = request.build_absolute_uri(
            reverse("content:client_review", args=[token])
        )
        messages.success(request, _("Client link created. Copy it now: it is shown only once."))
    return _back(post, "#client-links")


@login_required
@require_POST
def client_link_revoke_view(request: HttpRequest, link_id: str) -> HttpResponse:
    ctx = request_team_context(request)
    link = collab_selectors.client_link_get(team=ctx.team, link_id=link_id)
    _run(request, lambda: client_link_revoke(ctx=ctx, link=link), _("Client link withdrawn."))
    return _back(link.post, "#client-links")


@require_http_methods(["GET", "POST"])
def client_review(request: HttpRequest, token: str) -> HttpResponse:
    """The outside approver's page: preview, then approve or request changes. No account needed."""
    try:
        link = client_link_resolve(token=token)
    except ClientLinkInvalid as exc:
        status = 404 if exc.reason == "invalid" else 410
        return render(
            request, "content/client_review_invalid.html", {"reason": exc.reason, "message": exc.message}, status=status
        )
    post = link.post
    context: dict[str, Any] = {"link": link, "post": post, "token": token}
    if link.used_at is not None:
        context["decided"] = link.decision
        return render(request, "content/client_review.html", context)
    form = ClientDecisionForm(request.POST or None, initial={"name": link.client_name, "email": link.client_email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                # The conditional update claims the link: a double submit decides once.
                if not ClientApprovalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
                    used_at=timezone.now()
                ):
                    link.refresh_from_db()
                    context["decided"] = link.decision
                    return render(request, "content/client_review.html", context)
                _, decision = post_client_decide(
                    post=post,
                    approve=data["decision"] == "approve",
                    client_name=data["name"],
                    client_email=data["email"],
                    comment=data["comment"],
                )
                ClientApprovalLink.objects.filter(pk=link.pk).update(decision=decision)
        except ApiError as exc:
            context.update(form=form, error=exc.message)
            return render(request, "content/client_review.html", context, status=exc.status_code)
        context["decided"] = decision
        return render(request, "content/client_review.html", context)
    context.update(form=form, waiting=post.status == "IN_REVIEW")
    return render(request, "content/client_review.html", context, status=400 if form.errors else 200)
