"""The project's URLs plus the baseline of the benchmarks: a minimal Django view.

Served only by the benchmarks' gunicorn (``DJANGO_SETTINGS_MODULE=bench.settings``). The
minimal view goes through the same middleware as every page (sessions, locale, CSRF,
authentication, Content Security Policy, history, throttling) and returns a short text
without touching the database or a template: what a request costs before the page's own
work.
"""

from django.http import HttpResponse
from django.urls import path

from sosvet.urls import urlpatterns as project_urlpatterns


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/minimal/", minimal, name="bench_minimal"),
    *project_urlpatterns,
]
