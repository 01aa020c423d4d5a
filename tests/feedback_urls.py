"""A URLconf for the feedback tests: the real one, plus a public page that is kept in the
pages cache like every page of the public site, so that "Hade du nytta av innehållet på
denna sida?" is tried where it lives.

``public:index`` and ``public:organisation`` (which the public site's frame links to) are
stood in for only while the public app does not have them yet; once it does, its own pages
are used."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from uppsikt import urls as root
from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation
from uppsikt.public import urls as public_urls
from uppsikt.public.navigation import footer_links

PAGE = engines["django"].from_string(
    '{% extends "public/base.html" %}{% block title %}Provsida{% endblock %}'
    "{% block content %}<h1>Provsida för synpunkter</h1><p>Innehåll.</p>{% endblock %}"
)


@cache_public
def sample_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """A public page as the public site draws them (``public/site.py``)."""
    organisation = Organisation.objects.filter(code=code).first() if code else None
    context = {"organisation": organisation, "site_menu": [], "footer_links": footer_links("")}
    return HttpResponse(PAGE.render(context, request))


_have = {pattern.name for pattern in public_urls.urlpatterns if hasattr(pattern, "name")}
_stand_ins = [
    path("insyn/", sample_page, name="index"),
    path("insyn/<str:code>/", sample_page, name="organisation"),
]
public_patterns = [
    *public_urls.urlpatterns,
    *(p for p in _stand_ins if p.name not in _have),
]

urlpatterns = [
    *(p for p in root.urlpatterns if getattr(p, "namespace", None) != "public"),
    path("", include((public_patterns, "public"))),
    path("prov/sida/", sample_page, name="feedback_sample"),
    path("prov/sida/<str:code>/", sample_page, name="feedback_sample_organisation"),
]
handler404 = root.handler404
