"""``/sitemap.xml`` and ``/robots.txt``: what search engines may read and where it is.

The sitemap lists the start page, each organisation's pages (the organisation page, the
public site's pages registered in ``lib.findable.organisation_pages`` for its kind), each unit's
page, every decided plan,
the published reports and the installation's pages (``lib.findable.site_pages``, and
``/insyn/``, ``/oppna-data/`` and ``/tillganglighet/`` when the apps serving them are
installed). Every address starts with ``UPPSIKT_SITE_URL``.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from uppsikt.lib.findable import absolute, organisation_pages, site_pages
from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Plan
from uppsikt.reports.public import published_reports

# Installation pages served by apps above this one, found by address when they exist.
OPTIONAL_PAGES = ("/insyn/", "/oppna-data/", "/tillganglighet/")
# Never for search engines: signing in, administration, the API, staff work and search.
DISALLOWED = (
    "/konto/",
    "/admin/",
    "/administration/",
    "/api/",
    "/i18n/",
    "/att-gora/",
    "/uppfoljning/",
    "/jobb/",
    "/andringslogg/",
    "/sok/",
    "/kolada/",
    "/planer/ny/",
    "/*/redigera/",
)


def _reversed(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _served(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _names(registry) -> list[str]:
    return [name for source in registry for name in source()]


def site_paths() -> Iterator[str]:
    """Every public page's path, each once, in a stable order."""
    seen: set[str] = set()

    def once(path: str | None) -> Iterator[str]:
        if path and path not in seen:
            seen.add(path)
            yield path

    yield from once(reverse("portal:home"))
    for path in OPTIONAL_PAGES:
        yield from once(path if _served(path) else None)
    for name in _names(site_pages):
        yield from once(_reversed(name))
    yield from once(reverse("portal:organisations"))
    yield from once(reverse("reports:published"))
    per_kind: dict[str, list[str]] = {}
    for code, kind in Organisation.objects.order_by("code").values_list("code", "kind"):
        yield from once(reverse("organisations:detail", args=[code]))
        if kind not in per_kind:
            per_kind[kind] = [name for source in organisation_pages for name in source(kind)]
        for name in per_kind[kind]:
            yield from once(_reversed(name, code))
    units = Unit.objects.order_by("organisation__code", "position", "pk")
    for code, slug in units.values_list("organisation__code", "slug"):
        yield from once(reverse("organisations:unit", args=[code, slug]))
    plans = Plan.objects.visible_to(AnonymousUser()).order_by("unit__organisation__code", "pk")
    for pk in plans.values_list("pk", flat=True):
        yield from once(reverse("plans:detail", args=[pk]))
    for report in published_reports():
        args = (report.unit.organisation.code, report.period.slug, report.unit.slug)
        yield from once(_reversed("reports:page", *args))


@cache_public
def sitemap(request: HttpRequest) -> HttpResponse:
    urls = "".join(f"<url><loc>{escape(absolute(path))}</loc></url>\n" for path in site_paths())
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@cache_public
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('portal:sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
