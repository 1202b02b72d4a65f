from django.urls import path

from teams import collab_apis

urlpatterns = [
    path("activity/", collab_apis.ActivityListApi.as_view(), name="api-activity"),
    path("tasks/", collab_apis.TaskListApi.as_view(), name="api-tasks"),
    path("tasks/<uuid:task_id>/", collab_apis.TaskDetailApi.as_view(), name="api-task"),
    path("comments/<uuid:comment_id>/", collab_apis.CommentDetailApi.as_view(), name="api-comment"),
    path("workflows/", collab_apis.WorkflowListApi.as_view(), name="api-workflows"),
    path("workflows/<uuid:workflow_id>/", collab_apis.WorkflowDetailApi.as_view(), name="api-workflow"),
]
