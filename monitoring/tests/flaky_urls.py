"""The project's URLs plus one view a test can switch between working and failing."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

state: dict[str, object] = {"failing": False, "error": RuntimeError}


def flaky(request: HttpRequest) -> HttpResponse:
    if state["failing"]:
        raise state["error"]("the service went away")  # type: ignore[operator]
    return HttpResponse("ok")


__all__ = ["OperationalError", "state", "urlpatterns"]


urlpatterns = [path("flaky/", flaky, name="flaky"), *project_urlpatterns]
