"""URLs for the load benchmark (config.settings.bench): the project's own, plus a ceiling view that answers a fixed
string through exactly the same middleware, so every page's throughput can be given as a ratio to it."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def ceiling(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/ceiling/", ceiling, name="bench-ceiling"), *project_urlpatterns]
