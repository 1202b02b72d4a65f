from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("generate/", views.studio, name="generate"),
    path("generate/stream/", views.studio_stream, name="generate_stream"),
    path("generate/count/", views.character_count, name="character_count"),
    path("generate/save/", views.save_draft, name="save_draft"),
    path("posts/", views.post_library, name="posts"),
    path("posts/<str:post_id>/delete/", views.post_remove, name="post_delete"),
]
