"""Moderation REST endpoints: check a text, the review queue and its actions, the audit export."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api.errors import PermissionDeniedError
from moderation.audit import audit_events_between, audit_export_csv, audit_export_json, audit_record
from moderation.bulk_decisions import cases_decide_bulk
from moderation.models import ModerationAuditEvent, ModerationCase
from moderation.selectors import case_get, cases_filtered, cases_visible_to
from moderation.serializers import (
    AppealSerializer,
    AuditExportQuerySerializer,
    BulkDecisionResponseSerializer,
    BulkDecisionSerializer,
    CaseListQuerySerializer,
    CaseResponseSerializer,
    CaseSerializer,
    CheckRequestSerializer,
    CheckResponseSerializer,
    NoteSerializer,
    TeamPolicyResponseSerializer,
    TeamPolicyUpdateSerializer,
)
from moderation.services import (
    case_appeal,
    case_approve,
    case_claim,
    case_reject,
    case_submit,
    is_platform_admin,
    text_moderate,
)
from moderation.team_policy import team_policy_get, team_policy_update
from teams.permissions import Capability, request_team_context, require_insider

TAG = ["moderation"]


class ModerationCheckApi(APIView):
    @extend_schema(tags=TAG, request=CheckRequestSerializer, responses=CheckResponseSerializer)
    def post(self, request: Request) -> Response:
        """Run the moderation pipeline on a text, for the caller's team."""
        ctx = request_team_context(request)
        data = CheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = text_moderate(
            team=ctx.team,
            text=values["text"],
            platform=values.get("platform") or None,
            brand=values.get("brand_id"),
            context="check",
            author=ctx.user,
            sponsored=values["sponsored"],
        )
        case_id = None
        if values["submit_for_review"] and result.decision != "allow":
            case = case_submit(
                team=ctx.team, author=ctx.user, text=values["text"], result=result, platform=values.get("platform")
            )
            case_id = str(case.pk)
        return Response(
            {
                "success": True,
                "decision": result.decision,
                "reasons": result.reason_dicts(),
                "scores": result.scores,
                "case_id": case_id,
            }
        )


class CaseListApi(ListAPIView):
    serializer_class = CaseSerializer
    queryset = ModerationCase.objects.none()  # names the model for the schema; get_queryset scopes it

    def get_queryset(self):  # type: ignore[no-untyped-def]
        ctx = request_team_context(self.request)
        query = CaseListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return cases_filtered(
            cases_visible_to(user=ctx.user, team=ctx.team),
            status=query.validated_data.get("status"),
            decision=query.validated_data.get("decision"),
            query=query.validated_data.get("q"),
        ).order_by("created_at")

    @extend_schema(tags=TAG, parameters=[CaseListQuerySerializer])
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        """Moderators see every team's cases (oldest first); everyone else their team's."""
        return super().get(request, *args, **kwargs)


def _case_for(request: Request, case_id: str) -> ModerationCase:
    ctx = request_team_context(request)
    return case_get(user=ctx.user, team=ctx.team, case_id=case_id)


def _case_response(case: ModerationCase) -> Response:
    case = ModerationCase.objects.select_related("team", "author", "claimed_by", "resolved_by").get(pk=case.pk)
    return Response({"success": True, "case": CaseSerializer(case).data})


class CaseDetailApi(APIView):
    @extend_schema(tags=TAG, responses=CaseResponseSerializer)
    def get(self, request: Request, case_id: str) -> Response:
        return _case_response(_case_for(request, case_id))


class CaseClaimApi(APIView):
    @extend_schema(tags=TAG, request=None, responses=CaseResponseSerializer)
    def post(self, request: Request, case_id: str) -> Response:
        """A moderator takes a case so no one else works on it."""
        case = _case_for(request, case_id)
        return _case_response(case_claim(case=case, moderator=request.user))  # type: ignore[arg-type]


class CaseApproveApi(APIView):
    @extend_schema(tags=TAG, request=NoteSerializer, responses=CaseResponseSerializer)
    def post(self, request: Request, case_id: str) -> Response:
        case = _case_for(request, case_id)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approved = case_approve(case=case, moderator=request.user, note=data.validated_data["note"])  # type: ignore[arg-type]
        return _case_response(approved)


class CaseRejectApi(APIView):
    @extend_schema(tags=TAG, request=NoteSerializer, responses=CaseResponseSerializer)
    def post(self, request: Request, case_id: str) -> Response:
        case = _case_for(request, case_id)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rejected = case_reject(case=case, moderator=request.user, note=data.validated_data["note"])  # type: ignore[arg-type]
        return _case_response(rejected)


class CaseAppealApi(APIView):
    @extend_schema(tags=TAG, request=AppealSerializer, responses=CaseResponseSerializer)
    def post(self, request: Request, case_id: str) -> Response:
        """The author (or a teammate who writes content) appeals a rejection, once, with a message."""
        ctx = request_team_context(request)
        case = case_get(user=ctx.user, team=ctx.team, case_id=case_id)
        if case.team_id != ctx.team.pk or not (case.author_id == ctx.user.pk or ctx.can(Capability.CREATE_CONTENT)):
            raise PermissionDeniedError("Only the team that wrote this content can appeal.")
        data = AppealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _case_response(case_appeal(case=case, user=ctx.user, message=data.validated_data["message"]))


class CaseBulkDecisionApi(APIView):
    @extend_schema(tags=TAG, request=BulkDecisionSerializer, responses=BulkDecisionResponseSerializer)
    def post(self, request: Request) -> Response:
        """A moderator approves or rejects many cases with one note; cases decided meanwhile are skipped."""
        ctx = request_team_context(request)
        data = BulkDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        outcome = cases_decide_bulk(
            case_ids=values["case_ids"], moderator=ctx.user, action=values["action"], note=values["note"]
        )
        return Response(
            {
                "success": True,
                "decided": CaseSerializer(outcome.decided, many=True).data,
                "skipped": [{"id": case_id, "message": why} for case_id, why in outcome.skipped],
            }
        )


class TeamPolicyApi(APIView):
    @extend_schema(tags=TAG, responses=TeamPolicyResponseSerializer)
    def get(self, request: Request) -> Response:
        """The team's own moderation policy: what its posts are checked against (members read it)."""
        ctx = request_team_context(request)
        require_insider(ctx)
        return Response({"success": True, "policy": team_policy_get(team=ctx.team).as_dict()})

    @extend_schema(tags=TAG, request=TeamPolicyUpdateSerializer, responses=TeamPolicyResponseSerializer)
    def put(self, request: Request) -> Response:
        """Team admins replace the fields they send (phrases, protected terms, strictness, AI check,
        audience age); the others stay. Test a text against it with `POST /api/moderation/check`."""
        ctx = request_team_context(request)
        data = TeamPolicyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = team_policy_update(ctx=ctx, data=dict(data.validated_data))
        return Response({"success": True, "policy": policy.as_dict()})


class AuditExportApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=[
            AuditExportQuerySerializer,
            BulkDecisionResponseSerializer,
            BulkDecisionSerializer,
            OpenApiParameter("fileType", OpenApiTypes.STR, enum=["csv", "json"], description="csv or json"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            403: OpenApiResponse(description="Not a platform admin"),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        """The moderation audit log between two times, for compliance (platform admins only)."""
        user = request.user
        if not is_platform_admin(user):
            raise PermissionDeniedError("Only platform admins can export the moderation audit log.")
        params = {"start": request.query_params.get("start"), "end": request.query_params.get("end")}
        params["file_type"] = request.query_params.get("fileType") or "json"
        query = AuditExportQuerySerializer(data={k: v for k, v in params.items() if v})
        query.is_valid(raise_exception=True)
        values = query.validated_data
        events = list(audit_events_between(start=values.get("start"), end=values.get("end")))
        fmt = values["file_type"]
        assert isinstance(user, User)
        audit_record(kind=ModerationAuditEvent.Kind.EXPORTED, actor=user, note=f"{len(events)} events as {fmt} via API")
        body = audit_export_csv(events) if fmt == "csv" else audit_export_json(events)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="moderation-audit-{stamp}.{fmt}"'
        return response
