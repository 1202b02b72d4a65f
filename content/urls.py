from django.urls import path

from content import brand_views, views

app_name = "content"

urlpatterns = [
    path("generate/", views.studio, name="generate"),
    path("generate/stream/", views.studio_stream, name="generate_stream"),
    path("generate/count/", views.character_count, name="character_count"),
    path("generate/save/", views.save_draft, name="save_draft"),
    path("posts/", views.post_library, name="posts"),
    path("posts/<str:post_id>/delete/", views.post_remove, name="post_delete"),
    path("brands/", brand_views.brand_list, name="brands"),
    path("brands/<str:brand_id>/", brand_views.brand_detail, name="brand"),
    path("brands/<str:brand_id>/delete/", brand_views.brand_delete, name="brand_delete"),
    path("brands/<str:brand_id>/assets/", brand_views.brand_asset_upload, name="brand_asset_upload"),
    path(
        "brands/<str:brand_id>/assets/<str:asset_id>/delete/", brand_views.brand_asset_remove, name="brand_asset_delete"
    ),
    path("brands/<str:brand_id>/accounts/", brand_views.brand_accounts_update, name="brand_accounts"),
]
