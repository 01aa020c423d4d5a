"""Kolada's catalogue in Debian's Chromium with axe-core (issue 16): a controller finds a KPI,
links it to an indicator of the demo plan after confirming, and sees it on the definition
page; an empty catalogue says how it is filled. No JavaScript is needed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.kolada.models import KoladaKpi

from .a11y import assert_accessible
from .builders import load_demo, user_with_role
from .signin import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def catalogue_rows() -> None:
    fetched = timezone.make_aware(datetime.datetime(2026, 12, 1, 6, 0))
    for code, title, area, kind in (
        (
            "U90001",
            "Telefontillgänglighet i primärvården, andel besvarade samtal",
            "Hälso- och sjukvård",
            "L",
        ),
        ("U90002", "Telefontillgänglighet till kommunens växel", "Kommunen, övergripande", "K"),
        ("U90003", "Väntetid till första besök i specialiserad vård", "Hälso- och sjukvård", "L"),
    ):
        KoladaKpi.objects.create(
            code=code,
            title=title,
            description="Exempelrad i testets katalog.",
            operating_area=area,
            municipality_type=kind,
            fetched_at=fetched,
        )


def sign_in(page, base: str) -> None:
    page.set_default_timeout(30_000)  # a shared machine: the demo's pages can be slow
    sign_in_as(page, base, "kontrollant")


def test_a_controller_finds_a_kpi_and_links_it_to_a_demo_indicator(live_server, page):
    load_demo()
    load_demo_indicators()
    catalogue_rows()
    user_with_role("kontrollant", "planerare")
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/indikatorer/")
    page.get_by_role(
        "link", name="Sök i Koladas katalog och koppla en KPI till en indikator"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Koladas katalog", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_label("Sökord").fill("TELEFON")
    page.get_by_label("Gäller").select_option(label="Region")
    page.get_by_role("button", name="Sök i katalogen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 KPI matchar sökningen", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_role(
        "link", name="Telefontillgänglighet i primärvården, andel besvarade samtal"
    ).click()
    assert_accessible(page)
    page.get_by_label("Definition", exact=True).select_option(
        label="Telefontillgänglighet i primärvården (Kolada)"
    )
    page.get_by_role("button", name="Koppla", exact=True).click()
    alert = page.get_by_role("alert").inner_text()
    assert "Bekräftelse: Definitionen har" in alert
    assert_accessible(page)
    page.get_by_label("Jag bekräftar kopplingen trots det som står ovan").check()
    page.get_by_role("button", name="Koppla", exact=True).click()
    assert "U90001 är kopplad till Telefontillgänglighet i primärvården." in (
        page.get_by_role("status").first.inner_text()
    )
    assert_accessible(page)
    page.get_by_role("link", name="Telefontillgänglighet i primärvården", exact=True).click()
    panel = page.locator(".kolada-link")
    assert panel.inner_text().startswith("Kolada: U90001 Telefontillgänglighet")
    assert_accessible(page)
    definition = IndicatorDefinition.objects.get(key="telefontillganglighet-primarvard")
    assert (definition.source_kind, definition.source_code) == ("kolada", "U90001")


def test_an_empty_catalogue_and_a_new_definition_pass_axe(live_server, page):
    load_demo()
    user_with_role("kontrollant", "planerare")
    response = page.goto(live_server.url + "/kolada/katalog/")
    assert response.status == 200
    assert "uppsikt kolada_catalogue" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    catalogue_rows()
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/kolada/katalog/U90003/")
    page.get_by_role("button", name="Skapa definitionen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enhet: Välj en av enheterna i listan.", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_label("Enhet").select_option(label="dagar")
    page.get_by_label("Riktning").select_option(label="Lägre är bättre")
    page.get_by_role("button", name="Skapa definitionen").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Väntetid till första besök i specialiserad vård"
    assert_accessible(page)
