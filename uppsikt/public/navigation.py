"""The public site's menus. Each part of the site adds its own entry to these lists.

``SITE_MENU`` holds the pages of one organisation's site (URL names taking the
organisation's code); ``FOOTER`` the pages of the installation (URL names without
arguments), such as the accessibility statement and the open data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (label, URL name, the URL names that count as its area)
SITE_MENU: list[tuple[Promise | str, str, frozenset[str]]] = [
    (_("Start"), "public:organisation", frozenset()),
    (_("Mål"), "public:goals", frozenset({"public:goal"})),
    (_("Indikatorer"), "public:indicators", frozenset({"public:indicator"})),
    (_("Ekonomi"), "public:budget", frozenset()),
    (_("Rapporter"), "public:reports", frozenset()),
]
FOOTER: list[tuple[Promise | str, str]] = [
    (_("Öppna data"), "opendata:index"),
    (_("Tillgänglighetsredogörelse"), "feedback:statement"),
]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: str = ""  # the value of aria-current, or ""


def site_menu(code: str, view_name: str) -> list[Link]:
    links = []
    for label, name, area in SITE_MENU:
        url = reverse(name, args=[code])
        current = "page" if name == view_name else ("true" if view_name in area else "")
        links.append(Link(str(label), url, current))
    return links


def footer_links(view_name: str) -> list[Link]:
    return [
        Link(str(label), reverse(name), "page" if name == view_name else "")
        for label, name in FOOTER
    ]
