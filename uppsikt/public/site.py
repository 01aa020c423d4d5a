"""What every page of the public site is rendered with."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uppsikt.lib.findable import absolute
from uppsikt.organisations.models import Organisation

from .navigation import footer_links, site_menu


def page(
    request: HttpRequest,
    template: str,
    organisation: Organisation | None,
    context: dict[str, Any],
) -> HttpResponse:
    """Render a public page: the organisation's menu (when it is one organisation's page),
    the installation's footer links, and the page's own context."""
    match = request.resolver_match
    view_name = match.view_name if match else ""
    base = {
        "organisation": organisation,
        "site_menu": site_menu(organisation.code, view_name) if organisation else [],
        "footer_links": footer_links(view_name),
        "canonical_url": absolute(request.path),  # UPPSIKT_SITE_URL, never the Host header
    }
    return render(request, template, {**base, **context})
