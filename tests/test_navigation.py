"""The main menu on every page: the same entries, the current area marked, the skip link,
breadcrumbs on deep pages, administration links only for those who may use them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse

from uppsikt.plans.models import Goal

from .builders import user_with_role

pytestmark = pytest.mark.django_db

PUBLIC_MENU = [
    "Organisationer och planer",
    "Indikatorer",
    "Internkontroll",
    "Budget",
    "Rapporter",
    "Sök",
]


def main_menu(html: str) -> str:
    return re.search(r'<nav aria-label="Huvudmeny".*?</nav>', html, flags=re.S).group(0)


def menu_labels(html: str) -> list[str]:
    return re.findall(r"<a [^>]*>([^<]+)</a>", main_menu(html))


def current(html: str) -> list[tuple[str, str]]:
    """(aria-current value, label) of every marked link of the main menu."""
    return re.findall(r'<a [^>]*aria-current="(\w+)"[^>]*>([^<]+)</a>', main_menu(html))


def test_every_public_page_has_the_same_menu_and_a_skip_link(client, demo_board_plan):
    goal = Goal.objects.filter(plan=demo_board_plan).first()
    for url in (
        "/",
        "/sok/?q=mål",
        "/organisationer/",
        "/organisationer/0018/",
        demo_board_plan.get_absolute_url(),
        goal.get_absolute_url(),
        "/indikatorer/",
        "/internkontroll/",
        "/budget/",
        "/rapporter/",
    ):
        html = client.get(url).content.decode()
        assert menu_labels(html) == PUBLIC_MENU, url
        assert '<a class="skip-link" href="#innehall">Hoppa till innehållet</a>' in html, url
        assert '<main id="innehall"' in html, url
        assert 'rel="icon"' in html, url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/organisationer/", [("page", "Organisationer och planer")]),
        ("/organisationer/0018/", [("true", "Organisationer och planer")]),
        ("/indikatorer/", [("page", "Indikatorer")]),
        ("/internkontroll/", [("page", "Internkontroll")]),
        ("/budget/", [("page", "Budget")]),
        ("/rapporter/", [("page", "Rapporter")]),
        ("/sok/?q=hälsa", [("page", "Sök")]),
        ("/", []),
    ],
)
def test_the_current_area_is_marked_with_aria_current(client, demo_board_plan, url, expected):
    assert current(client.get(url).content.decode()) == expected


def test_a_plan_and_a_goal_page_mark_their_area_and_have_breadcrumbs(client, demo_board_plan):
    goal = Goal.objects.filter(plan=demo_board_plan).first()
    for url in (demo_board_plan.get_absolute_url(), goal.get_absolute_url()):
        html = client.get(url).content.decode()
        assert current(html) == [("true", "Organisationer och planer")]
        crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', html, flags=re.S).group(0)
        assert "Region Örebro län" in crumbs
        assert 'aria-current="page"' in crumbs
    home = client.get("/").content.decode()
    assert '<a class="brand" href="/" aria-current="page">' in home


def test_signed_in_users_get_the_follow_up_and_admins_the_admin_links(client, demo_board_plan):
    client.force_login(user_with_role("lasare", "lasare"))
    html = client.get("/").content.decode()
    assert "Uppföljning" in menu_labels(html)
    assert reverse("accounts:roles") not in html
    assert reverse("admin:index") not in html
    client.force_login(user_with_role("chef", "administrator"))
    html = client.get(reverse("accounts:roles")).content.decode()
    assert f'<a href="{reverse("accounts:roles")}" aria-current="page">Roller</a>' in html
    assert reverse("admin:index") not in html
    client.force_login(get_user_model().objects.create_superuser("rot", password="x-pass-99"))
    assert reverse("admin:index") in client.get("/").content.decode()


def test_the_public_menu_has_no_follow_up_link(client, demo_board_plan):
    assert "Uppföljning" not in menu_labels(client.get("/").content.decode())


def test_the_favicon_is_a_small_svg():
    path = finders.find("uppsikt/favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as file:
        svg = file.read()
    assert svg.startswith("<svg") and len(svg) < 2000
