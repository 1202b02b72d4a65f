from django.urls import path

from content import apis, resource_apis

urlpatterns = [
    path("content/generate", apis.ContentGenerateApi.as_view(), name="api-content-generate"),
    path("content/optimize", apis.ContentOptimizeApi.as_view(), name="api-content-optimize"),
    path("content/translate", apis.ContentTranslateApi.as_view(), name="api-content-translate"),
    path("content/save", apis.ContentSaveApi.as_view(), name="api-content-save"),
    path("posts/", resource_apis.PostListApi.as_view(), name="api-posts"),
    path("posts/<str:post_id>/", resource_apis.PostDetailApi.as_view(), name="api-post"),
    path("templates/", resource_apis.TemplateListApi.as_view(), name="api-templates"),
    path("templates/gallery/", resource_apis.TemplateGalleryApi.as_view(), name="api-template-gallery"),
    path("templates/<str:template_id>/", resource_apis.TemplateDetailApi.as_view(), name="api-template"),
    path(
        "templates/<str:template_id>/versions/",
        resource_apis.TemplateVersionListApi.as_view(),
        name="api-template-versions",
    ),
    path(
        "templates/<str:template_id>/versions/<int:number>/restore/",
        resource_apis.TemplateRestoreApi.as_view(),
        name="api-template-restore",
    ),
    path("templates/<str:template_id>/copy/", resource_apis.TemplateCopyApi.as_view(), name="api-template-copy"),
    path("brands/", resource_apis.BrandListApi.as_view(), name="api-brands"),
    path("brands/<str:brand_id>/", resource_apis.BrandDetailApi.as_view(), name="api-brand"),
]
