from django.urls import path

from moderation import apis

urlpatterns = [
    path("check", apis.ModerationCheckApi.as_view(), name="api-moderation-check"),
    path("cases/", apis.CaseListApi.as_view(), name="api-moderation-cases"),
    path("cases/bulk", apis.CaseBulkDecisionApi.as_view(), name="api-moderation-cases-bulk"),
    path("cases/<uuid:case_id>/", apis.CaseDetailApi.as_view(), name="api-moderation-case"),
    path("cases/<uuid:case_id>/claim", apis.CaseClaimApi.as_view(), name="api-moderation-case-claim"),
    path("cases/<uuid:case_id>/approve", apis.CaseApproveApi.as_view(), name="api-moderation-case-approve"),
    path("cases/<uuid:case_id>/reject", apis.CaseRejectApi.as_view(), name="api-moderation-case-reject"),
    path("cases/<uuid:case_id>/appeal", apis.CaseAppealApi.as_view(), name="api-moderation-case-appeal"),
    path("policy", apis.TeamPolicyApi.as_view(), name="api-moderation-policy"),
    path("audit/export", apis.AuditExportApi.as_view(), name="api-moderation-audit-export"),
]
