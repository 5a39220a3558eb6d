"""The site's URLs plus a bare Django view: the yardstick for page throughput."""

from django.http import HttpResponse
from django.urls import path

from circles.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
