from django.urls import path

from content import approval_views, assist_views, brand_views, collab_views, link_views, template_views, views

app_name = "content"

urlpatterns = [
    path("generate/", views.studio, name="generate"),
    path("generate/stream/", views.studio_stream, name="generate_stream"),
    path("generate/count/", views.character_count, name="character_count"),
    path("generate/save/", views.save_draft, name="save_draft"),
    path("generate/assist/", assist_views.composer_assist, name="composer_assist"),
    path("posts/", views.post_library, name="posts"),
    path("approvals/", approval_views.approvals, name="approvals"),
    path("templates/", template_views.template_library, name="templates"),
    path("templates/<uuid:template_id>/", template_views.template_detail, name="template"),
    path("templates/<uuid:template_id>/copy/", template_views.template_copy_view, name="template_copy"),
    path("templates/<uuid:template_id>/delete/", template_views.template_delete_view, name="template_delete"),
    path(
        "templates/<uuid:template_id>/versions/<int:number>/restore/",
        template_views.template_version_restore,
        name="template_version_restore",
    ),
    path("posts/<uuid:post_id>/delete/", views.post_remove, name="post_delete"),
    path("brands/", brand_views.brand_list, name="brands"),
    path("brands/<uuid:brand_id>/", brand_views.brand_detail, name="brand"),
    path("brands/<uuid:brand_id>/delete/", brand_views.brand_delete, name="brand_delete"),
    path("brands/<uuid:brand_id>/assets/", brand_views.brand_asset_upload, name="brand_asset_upload"),
    path(
        "brands/<uuid:brand_id>/assets/<uuid:asset_id>/delete/",
        brand_views.brand_asset_remove,
        name="brand_asset_delete",
    ),
    path("brands/<uuid:brand_id>/accounts/", brand_views.brand_accounts_update, name="brand_accounts"),
    path("posts/<uuid:post_id>/", collab_views.post_detail, name="post_detail"),
    path("posts/<uuid:post_id>/tracked-links/", link_views.tracked_links_toggle, name="tracked_links_toggle"),
    path("l/<str:code>", link_views.link_redirect, name="link_redirect"),
    path("posts/<uuid:post_id>/review/<str:action>/", collab_views.post_review_action, name="post_review_action"),
    path("posts/<uuid:post_id>/comments/", collab_views.post_comment, name="post_comment"),
    path("posts/<uuid:post_id>/tasks/", collab_views.post_task_create, name="post_task_create"),
    path("posts/<uuid:post_id>/revisions/<int:number>/", collab_views.revision_detail, name="revision_detail"),
    path(
        "posts/<uuid:post_id>/revisions/<int:number>/restore/",
        collab_views.revision_restore_view,
        name="revision_restore",
    ),
    path("posts/<uuid:post_id>/shares/", collab_views.post_share_view, name="post_share"),
    path("posts/<uuid:post_id>/shares/<uuid:user_id>/remove/", collab_views.post_unshare_view, name="post_unshare"),
    path("posts/<uuid:post_id>/client-links/", collab_views.client_link_create_view, name="client_link_create"),
    path("client-links/<uuid:link_id>/revoke/", collab_views.client_link_revoke_view, name="client_link_revoke"),
    path("comments/<uuid:comment_id>/resolve/", collab_views.comment_resolve, name="comment_resolve"),
    path("review/<str:token>/", collab_views.client_review, name="client_review"),
]
