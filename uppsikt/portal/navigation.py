"""The main menu, the same on every page (a context processor, see settings).

Each entry names the URL namespaces (apps) it covers; the entry of the current page's
area is marked ``aria-current`` ("page" when the link is the page itself, else "true").
Administration links are shown only to those who may use them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uppsikt.accounts.access import Perm, units_with


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: str = ""  # the value of aria-current, or ""


# (label, URL name, the namespaces or URL names it covers, signed-in users only)
MAIN_MENU = (
    (_("Att göra"), "tasks:todo", {"tasks"}, True),
    (
        _("Organisationer och planer"),
        "portal:organisations",
        {"portal:organisations", "organisations", "plans"},
        False,
    ),
    (_("Uppföljning"), "followup:index", {"followup"}, True),
    (_("Indikatorer"), "indicators:list", {"indicators"}, False),
    (_("Internkontroll"), "portal:control", {"portal:control", "control"}, False),
    (_("Budget"), "portal:budget", {"portal:budget", "budget"}, False),
    (_("Rapporter"), "reports:published", {"reports"}, False),
    (_("Sök"), "portal:search", {"portal:search"}, False),
)
ADMIN_MENU = (
    (_("Roller"), "accounts:roles", {"accounts:roles"}),
    (_("Organisationer och enheter"), "administration:organisations", {"administration"}),
    (_("Ändringslogg"), "history:verify", {"history"}),
)


def _where(request) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.namespace, match.view_name


def _current(request, url: str, covers: set[str]) -> str:
    if request.path == url:
        return "page"
    namespace, view_name = _where(request)
    if view_name in covers or (namespace and namespace in covers):
        return "true"
    return ""


def menu_items(request) -> list[MenuItem]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    items = []
    for label, name, covers, needs_login in MAIN_MENU:
        if needs_login and not signed_in:
            continue
        url = reverse(name)
        items.append(MenuItem(str(label), url, _current(request, url, covers)))
    return items


def admin_items(request) -> list[MenuItem]:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    items = []
    if units_with(user, Perm.ADMIN):
        for label, name, covers in ADMIN_MENU:
            url = reverse(name)
            items.append(MenuItem(str(label), url, _current(request, url, covers)))
    if user.is_staff:
        items.append(MenuItem(str(_("Administration")), reverse("admin:index")))
    return items


def navigation(request) -> dict:
    return {
        "main_menu": menu_items(request),
        "admin_menu": admin_items(request),
    }
