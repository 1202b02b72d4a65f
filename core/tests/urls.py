"""Views that raise each kind of error, to check the envelope the handler renders."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import QuotaExceeded


class _Body(serializers.Serializer):
    display_name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1)


class EchoApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):  # type: ignore[no-untyped-def]
        body = _Body(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"success": True, "received": body.validated_data})


class RaisingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, kind):  # type: ignore[no-untyped-def]
        if kind == "unauthenticated":
            raise NotAuthenticated()
        if kind == "forbidden":
            raise PermissionDenied()
        if kind == "throttled":
            raise Throttled(wait=42)
        if kind == "quota":
            raise QuotaExceeded(details={"kind": "content_generations"}, retry_after=3600)
        raise RuntimeError("boom: an unexpected bug")


def plain_django_bug(request):  # type: ignore[no-untyped-def]
    """Not a DRF view: its exception reaches Django's handler500."""
    raise RuntimeError("boom: a bug outside DRF")


urlpatterns = [
    path("api/test/plain-bug/", plain_django_bug),
    path("api/test/echo/", EchoApi.as_view()),
    path("api/test/raise/<str:kind>/", RaisingApi.as_view()),
    path("", include("config.urls")),
]

handler400 = "core.views.handler400"
handler403 = "core.views.handler403"
handler404 = "core.views.handler404"
handler500 = "core.views.handler500"
