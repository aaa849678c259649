"""The portal's URLs plus the floor of the throughput benchmark: a view that does nothing, behind
the same middleware, served by the same gunicorn. Used only by bench/throughput.py."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ankommen.urls import urlpatterns as portal_urlpatterns


@login_not_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
