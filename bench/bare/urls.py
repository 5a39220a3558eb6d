"""The bare project's one URL."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def ok(request: HttpRequest) -> HttpResponse:
    """Answer "ok": the least a Django view can do."""
    return HttpResponse("ok")


urlpatterns = [path("", ok)]
