"""Findable public pages: sitemap.xml, robots.txt, canonical URLs and link previews, all
at ``UPPSIKT_SITE_URL`` whatever host the request named."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from uppsikt.lib import findable
from uppsikt.plans.models import Plan

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db
SITE = "https://insyn.example.se"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical.append(found["href"])


def head_of(response) -> _Head:
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def findable_site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example", "localhost"]
    load_minimal()
    return Plan.objects.get(title="Testplan 2023")


def sitemap_urls(client, **extra) -> list[str]:
    response = client.get(reverse("portal:sitemap"), **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def test_the_sitemap_lists_the_public_pages_at_the_site_address(client, findable_site):
    urls = sitemap_urls(client, HTTP_HOST="evil.example")
    assert len(urls) == len(set(urls))
    assert all(url.startswith(SITE + "/") for url in urls)
    expected = [
        reverse("portal:home"),
        reverse("organisations:detail", args=["0099"]),
        reverse("organisations:unit", args=["0099", "styrelsen"]),
        reverse("plans:detail", args=[findable_site.pk]),
        reverse("reports:published"),
    ]
    for path in expected:
        assert SITE + path in urls


def test_the_sitemap_leaves_drafts_out(client, settings):
    settings.SITE_URL = SITE
    load_minimal(status="utkast")
    draft = Plan.objects.get(title="Testplan 2023")
    assert SITE + reverse("plans:detail", args=[draft.pk]) not in sitemap_urls(client)


def test_registered_pages_are_listed_per_organisation_and_once(client, findable_site):
    findable.organisation_pages.register("test", lambda _kind: ["organisations:detail", "nonesuch"])
    findable.site_pages.register("test", lambda: ["reports:published", "also:nonesuch"])
    try:
        urls = sitemap_urls(client)
    finally:
        findable.organisation_pages._entries.pop("test")
        findable.site_pages._entries.pop("test")
    assert urls.count(SITE + reverse("organisations:detail", args=["0099"])) == 1
    assert urls.count(SITE + reverse("reports:published")) == 1


def test_the_sitemap_lists_the_public_site_only_where_it_exists(client, findable_site):
    """Riket (and any kind other than region and kommun) has no public site: its /insyn/
    pages are not found, so the sitemap leaves them out; every /insyn/ page it lists is
    served."""
    from uppsikt.organisations.models import Organisation

    Organisation.objects.create(code="0000", name="Riket", kind=Organisation.Kind.RIKET)
    urls = sitemap_urls(client)
    assert SITE + reverse("public:organisation", args=["0099"]) in urls
    assert not [url for url in urls if "/insyn/0000/" in url]
    assert SITE + reverse("organisations:detail", args=["0000"]) in urls
    for url in urls:
        if "/insyn/" in url:
            assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_robots_keeps_search_engines_out_of_staff_pages(client, findable_site):
    response = client.get("/robots.txt", HTTP_HOST="evil.example")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/konto/", "/admin/", "/administration/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /planer/" not in lines and "Disallow: /organisationer/" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_public_pages_have_an_absolute_canonical_url_and_previews(client, findable_site):
    url = reverse("plans:detail", args=[findable_site.pk])
    head = head_of(client.get(url, HTTP_HOST="evil.example"))
    assert head.canonical == [SITE + url]
    assert head.meta["og:url"] == SITE + url
    assert head.meta["og:title"] == "Testplan 2023"
    assert head.meta["og:type"] == "website"
    assert head.meta["og:site_name"] == "Uppsikt"
    assert head.meta["og:locale"] == "sv_SE"
    assert head.meta["twitter:card"] == "summary"
    assert "Testplan 2023" in head.meta["description"]
    assert head.meta["og:description"] == head.meta["description"]


def test_the_organisation_gives_the_default_description(client, findable_site):
    head = head_of(client.get(reverse("organisations:detail", args=["0099"])))
    assert "Region Test" in head.meta["description"]
    assert head.canonical == [SITE + reverse("organisations:detail", args=["0099"])]


def test_the_canonical_url_drops_the_query_string(client, findable_site):
    url = reverse("plans:detail", args=[findable_site.pk])
    assert head_of(client.get(url + "?utm_source=x")).canonical == [SITE + url]


def test_english_previews_say_so(client, findable_site, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    head = head_of(client.get(reverse("portal:home")))
    assert head.meta["og:locale"] == "en_GB"


def test_staff_pages_have_no_canonical_url(client, findable_site):
    client.force_login(user_with_role("findable-planerare"))
    head = head_of(client.get(reverse("tasks:todo")))
    assert head.canonical == [] and "og:url" not in head.meta
    assert head.meta["description"]  # every page has one


def test_a_crafted_host_never_reaches_a_kept_page(client, findable_site):
    url = reverse("organisations:detail", args=["0099"])
    client.get(url, HTTP_HOST="evil.example")
    kept = client.get(url)
    assert b"evil.example" not in kept.content
