from django.urls import path

from scheduling.portability import apis

urlpatterns = [
    path("exports/", apis.ExportListApi.as_view(), name="api-exports"),
    path("exports/<uuid:export_id>/", apis.ExportDetailApi.as_view(), name="api-export-detail"),
    path("exports/<uuid:export_id>/download/", apis.ExportDownloadApi.as_view(), name="api-export-download"),
    path("imports/preview/", apis.ImportPreviewApi.as_view(), name="api-imports-preview"),
    path("imports/", apis.ImportApi.as_view(), name="api-imports"),
]
