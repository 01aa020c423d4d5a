"""Findable public pages: absolute addresses, canonical URLs and link-preview metadata, and
the registries the sitemap (``portal.findable``) reads.

Addresses start with ``UPPSIKT_SITE_URL`` (``settings.SITE_URL``), never with the host the
request named, so a crafted ``Host`` header cannot change a canonical URL or the sitemap.

Higher apps register the pages of the public site from their ``AppConfig.ready()``:
``organisation_pages`` gives URL names that take an organisation's code (one page per
organisation), given the organisation's kind, so an app leaves out the organisations it
has no page for (the public site has none for Riket); ``site_pages`` URL names without
arguments (the installation's pages). Each entry is a function returning the names, so
entries added to a menu later are seen too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .registry import Registry

NameSource = Callable[[], Iterable[str]]
# The URL names of an organisation's pages, given its kind (``Organisation.kind``).
OrganisationNameSource = Callable[[str], Iterable[str]]

organisation_pages: Registry[OrganisationNameSource] = Registry("organisation pages in the sitemap")
site_pages: Registry[NameSource] = Registry("site pages in the sitemap")

# Open Graph's locale for each interface language.
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def absolute(path: str) -> str:
    """``path`` (starting with /) at the site's public address."""
    return settings.SITE_URL + path


def is_public_view(request: HttpRequest) -> bool:
    """Whether the page asked for is one anyone may read (a ``cache_public`` view)."""
    match = getattr(request, "resolver_match", None)
    return bool(match and getattr(match.func, "public_page", False))


def page_meta(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the canonical URL of a public page and its Open Graph locale.

    A view or ``public.site.page`` may give ``canonical_url`` itself; templates give the
    description (block ``description``) and the preview title (block ``og_title``)."""
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    context: dict[str, Any] = {"og_locale": OG_LOCALES.get(language, "sv_SE")}
    if is_public_view(request):
        context["canonical_url"] = absolute(request.path)
    return context
