"""REST actions on one post's collaboration: review, comments, revisions, history, client links."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import collab_selectors, selectors
from content.collab_serializers import CommentSerializer, CommentWriteSerializer, DecisionSerializer
from content.collaboration import client_link_create, client_link_revoke, comment_create
from content.models import ClientApprovalLink, ContentPost, PostRevision, PostShare
from content.resource_apis import paginated
from content.revisions import revision_diff, revision_get, revision_previous, revision_restore, revisions_for_post
from content.serializers import SUCCESS, PostSerializer, envelope
from content.sharing import can_see_post, post_share, post_unshare, shares_for_post
from content.workflow import current_stage, post_approve, post_request_changes, post_submit, stages_for_post
from core.api.errors import PermissionDeniedError
from teams.collab_selectors import post_history
from teams.collab_serializers import ActivityEventSerializer
from teams.permissions import Capability, TeamContextMixin, require


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DecisionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ChangesInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000)


class RevisionSerializer(serializers.ModelSerializer):
    editor = serializers.SerializerMethodField()

    class Meta:
        model = PostRevision
        fields = ["number", "title", "content", "hashtags", "editor", "restored_from", "created_at"]

    def get_editor(self, revision: PostRevision) -> str | None:
        return revision.editor.email if revision.editor else None


class ClientLinkInputSerializer(serializers.Serializer):
    client_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    client_email = serializers.EmailField(required=False, allow_blank=True, default="")
    days = serializers.IntegerField(required=False, allow_null=True, default=None)


class ClientLinkSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = ClientApprovalLink
        fields = ["id", "client_name", "client_email", "expires_at", "revoked_at", "used_at", "active", "created_at"]

    def get_active(self, link: ClientApprovalLink) -> bool:
        from django.utils import timezone

        return link.revoked_at is None and link.used_at is None and link.expires_at > timezone.now()


POST_ENVELOPE = envelope("Post", PostSerializer())


def review_state(post: ContentPost) -> dict[str, Any]:
    stage = current_stage(post) if post.status == "IN_REVIEW" else None
    return {
        "status": post.status,
        "round": post.review_round,
        "stage": stage.position if stage else None,
        "approvedAt": post.approved_at.isoformat() if post.approved_at else None,
        "stages": [
            {"position": s.position, "name": s.name, "requiredApprovals": s.required_approvals}
            for s in stages_for_post(post)
        ],
    }


class _PostAction(TeamContextMixin, APIView):
    # A client reaches these for the posts shared with them; every other post is a 404.
    clients_allowed = True

    def _post(self, post_id: str) -> ContentPost:
        return selectors.post_get(ctx=self.team_ctx, post_id=post_id)

    def _answer(self, post: ContentPost) -> Response:
        post.refresh_from_db()
        return Response({"success": True, "post": PostSerializer(post).data, "review": review_state(post)})


class PostSubmitApi(_PostAction):
    @extend_schema(request=None, responses={200: POST_ENVELOPE}, summary="Submit a draft for review")
    def post(self, request: Request, post_id: str) -> Response:
        post = post_submit(ctx=self.team_ctx, post=self._post(post_id))
        return self._answer(post)


class PostApproveApi(_PostAction):
    @extend_schema(request=DecisionInputSerializer, responses={200: POST_ENVELOPE}, summary="Approve the current stage")
    def post(self, request: Request, post_id: str) -> Response:
        data = _valid(DecisionInputSerializer, request.data)
        post = post_approve(ctx=self.team_ctx, post=self._post(post_id), comment=data["comment"])
        return self._answer(post)


class PostRequestChangesApi(_PostAction):
    @extend_schema(request=ChangesInputSerializer, responses={200: POST_ENVELOPE}, summary="Send back with a comment")
    def post(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)  # another team's post is a 404 whatever the body says
        data = _valid(ChangesInputSerializer, request.data)
        post = post_request_changes(ctx=self.team_ctx, post=post, comment=data["comment"])
        return self._answer(post)


class PostReviewApi(_PostAction):
    @extend_schema(
        responses={200: inline_serializer("ReviewState", {"success": serializers.BooleanField()})},
        summary="The post's review: status, stages, and every decision",
    )
    def get(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)
        decisions = collab_selectors.decisions_for_post(post=post)
        return Response(
            {"success": True, "review": review_state(post), "decisions": DecisionSerializer(decisions, many=True).data}
        )


class PostCommentsApi(_PostAction):
    @extend_schema(responses={200: CommentSerializer(many=True)}, summary="The post's comments, oldest first")
    def get(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)
        return paginated(request, self, collab_selectors.comments_for_post(post=post), CommentSerializer)

    @extend_schema(request=CommentWriteSerializer, responses={201: envelope("Comment", CommentSerializer())})
    def post(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        require(ctx, Capability.COMMENT)
        data = _valid(CommentWriteSerializer, request.data)
        parent = (
            collab_selectors.comment_get(team=ctx.team, comment_id=data["parent_id"]) if data["parent_id"] else None
        )
        comment = comment_create(ctx=ctx, post=post, body=data["body"], parent=parent, can_see=can_see_post(post))
        return Response({"success": True, "comment": CommentSerializer(comment).data}, status=status.HTTP_201_CREATED)


class PostRevisionsApi(_PostAction):
    @extend_schema(responses={200: RevisionSerializer(many=True)}, summary="Every edit of the post, newest first")
    def get(self, request: Request, post_id: str) -> Response:
        return paginated(request, self, revisions_for_post(post=self._post(post_id)), RevisionSerializer)


class PostRevisionDetailApi(_PostAction):
    @extend_schema(
        responses={200: inline_serializer("RevisionDiff", {"success": serializers.BooleanField()})},
        summary="One revision and its unified diff against the one before",
    )
    def get(self, request: Request, post_id: str, number: int) -> Response:
        revision = revision_get(post=self._post(post_id), number=number)
        diff = revision_diff(old=revision_previous(revision=revision), new=revision)
        return Response({"success": True, "revision": RevisionSerializer(revision).data, "diff": diff})


class PostRevisionRestoreApi(_PostAction):
    @extend_schema(request=None, responses={200: POST_ENVELOPE}, summary="Restore a revision (recorded as a new one)")
    def post(self, request: Request, post_id: str, number: int) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        require(ctx, Capability.CREATE_CONTENT)
        post = revision_restore(ctx=ctx, post=post, revision=revision_get(post=post, number=number))
        return self._answer(post)


class PostHistoryApi(_PostAction):
    @extend_schema(responses={200: ActivityEventSerializer(many=True)}, summary="Everything that happened to the post")
    def get(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)
        return paginated(request, self, post_history(post=post), ActivityEventSerializer)


class PostClientLinksApi(_PostAction):
    clients_allowed = False

    @extend_schema(responses={200: ClientLinkSerializer(many=True)})
    def get(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        if not (ctx.can(Capability.REVIEW) or ctx.can(Capability.PUBLISH)):
            raise PermissionDeniedError("Your role cannot see client links.")
        return paginated(request, self, collab_selectors.client_links_for_post(post=post), ClientLinkSerializer)

    @extend_schema(
        request=ClientLinkInputSerializer,
        responses={201: inline_serializer("ClientLinkCreated", {"success": serializers.BooleanField()})},
        summary="Share the post with a client for approval; the URL is shown only now",
    )
    def post(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        data = _valid(ClientLinkInputSerializer, request.data)
        link, token = client_link_create(
            ctx=ctx, post=post, client_name=data["client_name"], client_email=data["client_email"], days=data["days"]
        )
        url = request.build_absolute_uri(reverse("content:client_review", args=[token]))
        return Response(
            {"success": True, "link": ClientLinkSerializer(link).data, "url": url}, status=status.HTTP_201_CREATED
        )


class ShareInputSerializer(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)


class PostShareSerializer(serializers.ModelSerializer):
    user_id = serializers.CharField(source="user.pk", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.get_short_name", read_only=True)
    shared_by = serializers.SerializerMethodField()

    class Meta:
        model = PostShare
        fields = ["user_id", "email", "name", "shared_by", "created_at"]

    def get_shared_by(self, share: PostShare) -> str | None:
        return share.shared_by.email if share.shared_by else None


class PostSharesApi(_PostAction):
    """Which client members the post is shared with; share it with one more."""

    clients_allowed = False

    @extend_schema(responses={200: PostShareSerializer(many=True)}, summary="The clients the post is shared with")
    def get(self, request: Request, post_id: str) -> Response:
        post = self._post(post_id)
        require(self.team_ctx, Capability.VIEW)
        return paginated(request, self, shares_for_post(post=post), PostShareSerializer)

    @extend_schema(
        request=ShareInputSerializer,
        responses={201: envelope("Share", PostShareSerializer()), 200: envelope("Share", PostShareSerializer())},
        summary="Share the post with a client member (they see only what is shared with them)",
    )
    def post(self, request: Request, post_id: str) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        require(ctx, Capability.CREATE_CONTENT)
        data = _valid(ShareInputSerializer, request.data)
        share, created = post_share(ctx=ctx, post=post, user_id=data["user_id"])
        return Response(
            {"success": True, "share": PostShareSerializer(share).data},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PostShareDetailApi(_PostAction):
    clients_allowed = False

    @extend_schema(request=None, responses={200: SUCCESS}, summary="Stop sharing the post with a client")
    def delete(self, request: Request, post_id: str, user_id: str) -> Response:
        ctx = self.team_ctx
        post = self._post(post_id)
        post_unshare(ctx=ctx, post=post, user_id=user_id)
        return Response({"success": True})


class ClientLinkRevokeApi(TeamContextMixin, APIView):
    @extend_schema(
        request=None, responses={200: inline_serializer("ClientLinkRevoked", {"success": serializers.BooleanField()})}
    )
    def post(self, request: Request, link_id: str) -> Response:
        ctx = self.team_ctx
        link = client_link_revoke(ctx=ctx, link=collab_selectors.client_link_get(team=ctx.team, link_id=link_id))
        return Response({"success": True, "link": ClientLinkSerializer(link).data})
