"""Uppsikt's URLs plus one minimal view, served through the same middleware stack."""

from django.http import HttpResponse
from django.urls import path

from uppsikt.urls import urlpatterns as base

MINIMAL_PATH = "/__bench__/minimal/"


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH.strip("/") + "/", minimal), *base]
