"""The project's URLs plus /bench/baseline/: a bare view that inserts one row."""

from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.urls import include, path


def baseline(request):
    SessionStore().create()  # one INSERT into django_session, through the same middleware
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("config.urls")),
]
