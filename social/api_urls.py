from django.urls import path

from social import apis

urlpatterns = [
    path("social/connect", apis.ConnectApi.as_view(), name="api-social-connect"),
    path("social/validate", apis.ValidateApi.as_view(), name="api-social-validate"),
    path("social/accounts/", apis.AccountListApi.as_view(), name="api-social-accounts"),
    path("social/accounts/<uuid:account_id>/", apis.AccountDetailApi.as_view(), name="api-social-account"),
    path("social/results/", apis.PublishResultListApi.as_view(), name="api-social-results"),
    path("social/results/<uuid:result_id>/retry", apis.PublishResultRetryApi.as_view(), name="api-social-result-retry"),
    path("media/", apis.MediaListApi.as_view(), name="api-media"),
    path("media/<uuid:media_id>/", apis.MediaDetailApi.as_view(), name="api-media-detail"),
]
