"""The project's URLs plus one view a test can switch between working and failing."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

state = {"failing": False}


def flaky(request: HttpRequest) -> HttpResponse:
    if state["failing"]:
        raise RuntimeError("the database went away")
    return HttpResponse("ok")


urlpatterns = [path("flaky/", flaky, name="flaky"), *project_urlpatterns]
