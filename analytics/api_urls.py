from django.urls import path

from analytics import apis

app_name = "analytics-api"

urlpatterns = [
    path("dashboard", apis.DashboardApi.as_view(), name="dashboard"),
    path("engagement", apis.EngagementApi.as_view(), name="engagement"),
    path("export", apis.ExportApi.as_view(), name="export"),
    path("exports/<str:token>", apis.ExportDownloadApi.as_view(), name="export-download"),
    path("forecast", apis.ForecastApi.as_view(), name="forecast"),
    path("predict", apis.PredictApi.as_view(), name="predict"),
    path("best-times", apis.BestTimesApi.as_view(), name="best-times"),
    path("model", apis.ModelApi.as_view(), name="model"),
    path("insights", apis.InsightsApi.as_view(), name="insights"),
    path("ab-tests", apis.ABTestListApi.as_view(), name="ab-tests"),
    path("ab-tests/<uuid:test_id>", apis.ABTestDetailApi.as_view(), name="ab-test"),
    path("competitors", apis.CompetitorListApi.as_view(), name="competitors"),
    path("competitors/<uuid:competitor_id>", apis.CompetitorDetailApi.as_view(), name="competitor"),
]
