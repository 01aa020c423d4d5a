"""Views of every kind ``lib/pagecache.py`` must tell apart, for tests/test_pagecache.py."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.translation import get_language

from uppsikt.lib.pagecache import cache_public

RENDERS = {"count": 0}


def _page(request, body: str = "") -> HttpResponse:
    RENDERS["count"] += 1
    return HttpResponse(f"<p>{get_language()} {request.GET.urlencode()} {body}</p>")


@cache_public(params=("ar", "sida"))
def plain(request, pk: int = 0):
    return _page(request, f"sak {pk}")


@cache_public
def sets_cookie(request):
    response = _page(request)
    response.set_cookie("spar", "1")
    return response


@cache_public
def form_with_token(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@cache_public
def copied_token(request):
    """A token in the page without asking the middleware for one (e.g. copied from a
    fragment kept elsewhere): the page still must not be kept."""
    RENDERS["count"] += 1
    return HttpResponse('<input type="hidden" name="csrfmiddlewaretoken" value="abc">')


@cache_public
def asks_for_token(request):
    get_token(request)  # e.g. a token handed to a script: the middleware sets the cookie
    return _page(request)


@cache_public
def writes_session(request):
    request.session["sett"] = True
    return _page(request)


@cache_public
def adds_message(request):
    messages.info(request, "Hej")
    return _page(request)


@cache_public
def private(request):
    response = _page(request)
    response["Cache-Control"] = "private"
    return response


@cache_public
def varies_on_accept(request):
    response = _page(request, request.headers.get("Accept", ""))
    response["Vary"] = "Accept"
    return response


@cache_public
def not_found(request):
    response = _page(request)
    response.status_code = 404
    return response


urlpatterns = [
    path("sida/", plain, name="plain"),
    path("sak/<int:pk>/", plain, name="thing"),
    path("kaka/", sets_cookie, name="cookie"),
    path("formular/", form_with_token, name="form"),
    path("kopierad/", copied_token, name="copied"),
    path("token/", asks_for_token, name="token"),
    path("session/", writes_session, name="session"),
    path("meddelande/", adds_message, name="message"),
    path("privat/", private, name="private"),
    path("accept/", varies_on_accept, name="accept"),
    path("saknas/", not_found, name="missing"),
]
