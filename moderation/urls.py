from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("check", views.check, name="check"),
    path("bulk", views.bulk_decide, name="bulk"),
    path("policy", views.policy, name="policy"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/claim", views.claim, name="claim"),
    path("cases/<uuid:case_id>/approve", views.approve, name="approve"),
    path("cases/<uuid:case_id>/reject", views.reject, name="reject"),
    path("cases/<uuid:case_id>/appeal", views.appeal, name="appeal"),
]
