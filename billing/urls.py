from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("billing/", views.overview, name="overview"),
    path("billing/usage/", views.usage, name="usage"),
    path("billing/checkout/", views.checkout, name="checkout"),
    path("billing/change/", views.change_plan, name="change"),
    path("billing/cancel/", views.cancel, name="cancel"),
    path("billing/portal/", views.portal, name="portal"),
]
