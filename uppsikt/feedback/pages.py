"""Which organisation a public page belongs to, and how feedback's own public pages are drawn.

The public site (``uppsikt.public``, a layer above) names its pages in the namespace
``public``, and every page of one organisation's site takes the organisation's code as its
first argument (``public/navigation.py``). ``organisation_of`` reads that from the path.

Feedback's pages for residents (the statement, the report form, the receipts) are drawn in
the public site's frame when the public app has registered its renderer in
``public_frame`` (from its ``AppConfig.ready()``:
``public_frame.register("public", site.page)``); until then in the staff site's frame.
Either way the template extends ``base_template``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, ResolverMatch, get_script_prefix, resolve

from uppsikt.lib.registry import Registry
from uppsikt.organisations.models import Organisation

PUBLIC_NAMESPACE = "public"
PUBLIC_BASE = "public/base.html"
STAFF_BASE = "base.html"

# request, template, organisation (None: an installation page), context -> the page
PageRenderer = Callable[[HttpRequest, str, Organisation | None, dict[str, Any]], HttpResponse]
public_frame: Registry[PageRenderer] = Registry("feedback.public_frame")


def _match(path: str) -> ResolverMatch | None:
    prefix = get_script_prefix()
    inner = "/" + path[len(prefix) :] if prefix != "/" and path.startswith(prefix) else path
    try:
        return resolve(inner)
    except Resolver404:
        return None


def is_page(path: str) -> bool:
    """Whether ``path`` names a page of this site (one of its URLs, whatever its status)."""
    return _match(path) is not None


def organisation_of(path: str) -> Organisation | None:
    """The organisation whose public page ``path`` is, or None (an installation page, or a
    path that is not a public page)."""
    match = _match(path)
    if match is None or PUBLIC_NAMESPACE not in match.namespaces:
        return None
    values = [*match.args, *match.kwargs.values()]
    if not values:
        return None
    return Organisation.objects.filter(code=str(values[0])).first()


def public_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A page for residents, in the public site's frame when there is one."""
    renderer = public_frame.get(PUBLIC_NAMESPACE)
    if renderer is None:
        response = render(request, template, {**context, "base_template": STAFF_BASE})
    else:
        response = renderer(request, template, None, {**context, "base_template": PUBLIC_BASE})
    response.status_code = status
    return response
