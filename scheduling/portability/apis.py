"""/api/exports/ (request, list, fetch, download) and /api/imports/ (preview, run)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ValidationFailed
from scheduling.models import DataExport
from scheduling.portability import importers, selectors, services
from scheduling.portability.dataset import KINDS
from scheduling.portability.exporters import RENDERERS
from teams.permissions import Capability, TeamContextMixin, require


class DataExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(RENDERERS))
    types = serializers.ListField(child=serializers.ChoiceField(choices=list(KINDS)), required=False, default=list)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    anonymize = serializers.BooleanField(required=False, default=False)


class DataExportSerializer(serializers.ModelSerializer):
    types = serializers.ListField(source="kinds", child=serializers.CharField())
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DataExport
        fields = ["id", "format", "types", "date_from", "date_to", "anonymize", "status", "counts", "error"]
        fields += ["download_url", "created_at"]

    def get_download_url(self, export: DataExport) -> str:
        path = reverse("api-export-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DataImportRequestSerializer(serializers.Serializer):
    # DRF pops declared fields off the class, so this does not clobber Field.source at runtime.
    source = serializers.ChoiceField(choices=list(importers.SOURCES))  # type: ignore[assignment]
    file = serializers.FileField()
    platform = serializers.CharField(required=False, allow_blank=True, default="")
    day_first = serializers.BooleanField(required=False, default=False)


_IMPORT_RESPONSE = inline_serializer(
    "ImportResponse",
    {
        "success": serializers.BooleanField(),
        "rows": serializers.ListField(child=serializers.DictField()),
        "errors": serializers.ListField(child=serializers.DictField()),
        "notes": serializers.ListField(child=serializers.DictField()),
        "created": serializers.IntegerField(),
        "scheduled": serializers.IntegerField(),
        "committed": serializers.BooleanField(),
    },
)


class ExportListApi(TeamContextMixin, ListAPIView):
    serializer_class = DataExportSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return DataExport.objects.none()
        return selectors.exports_for_team(team=self.team_ctx.team)

    @extend_schema(tags=["portability"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The team's exports, newest first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DataExportRequestSerializer, responses={202: DataExportSerializer}, tags=["portability"])
    def post(self, request: Request) -> Response:
        """Export the team's posts, schedules, analytics and metadata; built in the background."""
        body = DataExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        export = services.data_export_request(
            ctx=self.team_ctx,
            export_format=v["format"],
            kinds=v["types"],
            date_from=v["date_from"],
            date_to=v["date_to"],
            anonymize=v["anonymize"],
        )
        data = DataExportSerializer(export, context={"request": request}).data
        return Response({"success": True, "export": data}, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(TeamContextMixin, APIView):
    @extend_schema(responses={200: DataExportSerializer}, tags=["portability"])
    def get(self, request: Request, export_id: str) -> Response:
        export = selectors.export_get(team=self.team_ctx.team, export_id=export_id)
        return Response({"success": True, "export": DataExportSerializer(export, context={"request": request}).data})


class ExportDownloadApi(TeamContextMixin, APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes}, tags=["portability"])
    def get(self, request: Request, export_id: str) -> Any:
        """The file once ready; 202 while it is being built."""
        export = selectors.export_get(team=self.team_ctx.team, export_id=export_id)
        if export.status == DataExport.Status.PENDING:
            return Response({"success": True, "status": "pending"}, status=status.HTTP_202_ACCEPTED)
        if export.status == DataExport.Status.FAILED:
            raise ValidationFailed("The export failed; request it again.", details={"export": [export.error]})
        _, extension, content_type = RENDERERS[export.format]
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"contentgenai-export-{export.created_at:%Y%m%d}.{extension}",
            content_type=content_type,
        )


class _ImportApi(TeamContextMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]
    commit = False

    def _run(self, request: Request) -> services.ImportOutcome:
        body = DataImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        return services.posts_import(
            ctx=self.team_ctx,
            source=v["source"],
            raw=v["file"].read(services.MAX_IMPORT_BYTES + 1),  # the size check never needs more
            commit=self.commit,
            platform=v["platform"],
            day_first=v["day_first"],
        )


class ImportPreviewApi(_ImportApi):
    @extend_schema(request=DataImportRequestSerializer, responses={200: _IMPORT_RESPONSE}, tags=["portability"])
    def post(self, request: Request) -> Response:
        """Parse and check every row (nothing is saved): rows, row-level errors with row numbers."""
        require(self.team_ctx, Capability.CREATE_CONTENT)
        return Response({"success": True, **self._run(request).as_dict()})


class ImportApi(_ImportApi):
    commit = True

    @extend_schema(request=DataImportRequestSerializer, responses={201: _IMPORT_RESPONSE}, tags=["portability"])
    def post(self, request: Request) -> Response:
        """Create every row's post (and schedule), or nothing: any row error is a 400 listing them."""
        outcome = self._run(request)
        if not outcome.committed:
            raise ValidationFailed(
                f"{len(outcome.errors)} row(s) have errors; nothing was imported.",
                details={"rows": [e.as_dict() for e in outcome.errors]},
            )
        return Response({"success": True, **outcome.as_dict()}, status=status.HTTP_201_CREATED)
