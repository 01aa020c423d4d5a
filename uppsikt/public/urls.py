from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from uppsikt.organisations.models import Organisation

from . import urls_numbers

app_name = "public"


# PLACEHOLDER until the "site" helper's branch (h-site) is merged: base.html links to
# public:index and public:organisation, which that branch builds. Drop these two views and
# their patterns when merging, keeping h-site's.
def _index(request):  # pragma: no cover - replaced on merge
    return HttpResponse("Insyn")


def _organisation(request, code: str):  # pragma: no cover - replaced on merge
    if not code.isdigit():
        raise Http404
    return HttpResponse(get_object_or_404(Organisation, code=code).name)


# The public site lives under /insyn/: /insyn/ lists the organisations, /insyn/<code>/ is
# one organisation's site and its pages sit beneath it.
urlpatterns: list = [
    path("insyn/", _index, name="index"),  # PLACEHOLDER (h-site)
    path("insyn/<str:code>/", _organisation, name="organisation"),  # PLACEHOLDER (h-site)
    *urls_numbers.urlpatterns,
]
