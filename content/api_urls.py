from django.urls import path

from content import apis, brand_apis, collab_apis, link_apis, resource_apis, task_workflow_apis

urlpatterns = [
    path("content/generate", apis.ContentGenerateApi.as_view(), name="api-content-generate"),
    path("content/optimize", apis.ContentOptimizeApi.as_view(), name="api-content-optimize"),
    path("content/translate", apis.ContentTranslateApi.as_view(), name="api-content-translate"),
    path("content/save", apis.ContentSaveApi.as_view(), name="api-content-save"),
    path("posts/", resource_apis.PostListApi.as_view(), name="api-posts"),
    path("posts/<uuid:post_id>/", resource_apis.PostDetailApi.as_view(), name="api-post"),
    path("posts/<uuid:post_id>/submit/", collab_apis.PostSubmitApi.as_view(), name="api-post-submit"),
    path("posts/<uuid:post_id>/approve/", collab_apis.PostApproveApi.as_view(), name="api-post-approve"),
    path(
        "posts/<uuid:post_id>/request-changes/",
        collab_apis.PostRequestChangesApi.as_view(),
        name="api-post-request-changes",
    ),
    path("posts/<uuid:post_id>/review/", collab_apis.PostReviewApi.as_view(), name="api-post-review"),
    path("posts/<uuid:post_id>/comments/", collab_apis.PostCommentsApi.as_view(), name="api-post-comments"),
    path("posts/<uuid:post_id>/revisions/", collab_apis.PostRevisionsApi.as_view(), name="api-post-revisions"),
    path(
        "posts/<uuid:post_id>/revisions/<int:number>/",
        collab_apis.PostRevisionDetailApi.as_view(),
        name="api-post-revision",
    ),
    path(
        "posts/<uuid:post_id>/revisions/<int:number>/restore/",
        collab_apis.PostRevisionRestoreApi.as_view(),
        name="api-post-revision-restore",
    ),
    path("posts/<uuid:post_id>/tracked-links/", link_apis.PostTrackedLinksApi.as_view(), name="api-post-tracked-links"),
    path("posts/<uuid:post_id>/history/", collab_apis.PostHistoryApi.as_view(), name="api-post-history"),
    path("posts/<uuid:post_id>/client-links/", collab_apis.PostClientLinksApi.as_view(), name="api-post-client-links"),
    path("posts/<uuid:post_id>/shares/", collab_apis.PostSharesApi.as_view(), name="api-post-shares"),
    path(
        "posts/<uuid:post_id>/shares/<uuid:user_id>/", collab_apis.PostShareDetailApi.as_view(), name="api-post-share"
    ),
    path(
        "client-links/<uuid:link_id>/revoke/", collab_apis.ClientLinkRevokeApi.as_view(), name="api-client-link-revoke"
    ),
    path("templates/", resource_apis.TemplateListApi.as_view(), name="api-templates"),
    path("templates/gallery/", resource_apis.TemplateGalleryApi.as_view(), name="api-template-gallery"),
    path("templates/<uuid:template_id>/", resource_apis.TemplateDetailApi.as_view(), name="api-template"),
    path(
        "templates/<uuid:template_id>/versions/",
        resource_apis.TemplateVersionListApi.as_view(),
        name="api-template-versions",
    ),
    path(
        "templates/<uuid:template_id>/versions/<int:number>/restore/",
        resource_apis.TemplateRestoreApi.as_view(),
        name="api-template-restore",
    ),
    path("templates/<uuid:template_id>/copy/", resource_apis.TemplateCopyApi.as_view(), name="api-template-copy"),
    path("brands/", resource_apis.BrandListApi.as_view(), name="api-brands"),
    path("brands/<uuid:brand_id>/", resource_apis.BrandDetailApi.as_view(), name="api-brand"),
    path("brands/<uuid:brand_id>/assets/", brand_apis.BrandAssetListApi.as_view(), name="api-brand-assets"),
    path(
        "brands/<uuid:brand_id>/assets/<uuid:asset_id>/",
        brand_apis.BrandAssetDetailApi.as_view(),
        name="api-brand-asset",
    ),
    path("brands/<uuid:brand_id>/accounts", brand_apis.BrandAccountsApi.as_view(), name="api-brand-accounts"),
    path("tasks/", task_workflow_apis.TaskListApi.as_view(), name="api-tasks"),
    path("tasks/<uuid:task_id>/", task_workflow_apis.TaskDetailApi.as_view(), name="api-task"),
    path("comments/<uuid:comment_id>/", task_workflow_apis.CommentDetailApi.as_view(), name="api-comment"),
    path("workflows/", task_workflow_apis.WorkflowListApi.as_view(), name="api-workflows"),
    path("workflows/<uuid:workflow_id>/", task_workflow_apis.WorkflowDetailApi.as_view(), name="api-workflow"),
]
