from django.urls import path

from teams import collab_apis

urlpatterns = [
    path("activity/", collab_apis.ActivityListApi.as_view(), name="api-activity"),
]
