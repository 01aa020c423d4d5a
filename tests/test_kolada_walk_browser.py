"""Issue 16's "done when", walked in Debian's Chromium with axe-core on every page.

On the demo (Region Örebro län, its 2023 plan and example indicator data) with the official
register's 312 organisations, the loopback Kolada (tests/kolada_server.py) holds a small
catalogue and, for the KPI of the plan's "Telefontillgänglighet i primärvården", values for
2010–2023 for Region Örebro län, Riket and the other 20 regions. The catalogue is read by
the command; then the demo's planerare (the least-privileged demo login that may link a
definition and start a sync: the controller's role in the demo) finds the KPI, links it,
syncs with the other regions, reads the values and the forecast on the indicator page and
the other regions on the comparison page, and syncs again: nothing changes.

The KPI ids are the stand-in's, not Kolada's real ones.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.kolada.models import KoladaKpi, SyncRun
from uppsikt.organisations.models import Organisation

from .a11y import assert_accessible
from .builders import load_demo, run_queued_jobs
from .signin import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KPI = "U70410"
TITLE = "Telefontillgänglighet i primärvården, andel besvarade samtal samma dag"
DEFINITION = "telefontillganglighet-primarvard"
YEARS = range(2010, 2024)
HOME, RIKET = "0018", "0000"


def phone_value(code: str, year: int) -> Decimal:
    """A rising share, different for each organisation: 70.0 + 0.8 a year + code/10."""
    return Decimal("70.0") + Decimal("0.8") * (year - 2010) + Decimal(int(code)) / 10


@pytest.fixture
def walk_kolada(kolada_server, settings):
    """The demo, the register and the stand-in filled; Django pointed at it."""
    settings.KOLADA_URL = kolada_server.url
    settings.KOLADA_RETRIES, settings.KOLADA_TIMEOUT = 1, 5.0
    load_demo()
    load_demo_indicators()
    call_command("load_organisations", verbosity=0)
    call_command("demo_users", verbosity=0)
    kolada_server.add_kpi(KPI, TITLE, operating_area="Hälso- och sjukvård", municipality_type="L")
    kolada_server.add_kpi(
        "U70411", "Telefontillgänglighet till kommunens växel", municipality_type="K"
    )
    kolada_server.add_kpi("N79179", "Förtroende för hälso- och sjukvården", divided_by_gender=True)
    regions = list(Organisation.objects.filter(kind="region").values_list("code", flat=True))
    for code in (*regions, RIKET):
        for year in YEARS:
            kolada_server.set_value(KPI, code, year, phone_value(code, year))
            kolada_server.set_value("N79179", code, year, Decimal(60), gender="K")
    return regions


def check(page) -> None:
    page.wait_for_load_state()
    assert_accessible(page)


def sign_in(page, base: str) -> None:
    page.set_default_timeout(60_000)  # a shared machine: the demo's pages can be slow
    sign_in_as(page, base, "planerare", "uppsikt-demo-planerare")


def find_and_link(page, base: str) -> None:
    page.goto(base + "/indikatorer/")
    check(page)
    page.get_by_role(
        "link", name="Sök i Koladas katalog och koppla en KPI till en indikator"
    ).click()
    check(page)
    page.get_by_label("Sökord").fill("primärvården")
    page.get_by_role("button", name="Sök i katalogen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 KPI matchar sökningen", use_inner_text=True
    )
    check(page)
    page.get_by_role("link", name=TITLE).click()
    check(page)
    page.get_by_label("Definition", exact=True).select_option(
        label="Telefontillgänglighet i primärvården (Kolada)"
    )
    page.get_by_role("button", name="Koppla", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bekräftelse: Definitionen har", use_inner_text=True
    )
    check(page)
    page.get_by_label("Jag bekräftar kopplingen trots det som står ovan").check()
    page.get_by_role("button", name="Koppla", exact=True).click()
    assert f"{KPI} är kopplad till Telefontillgänglighet i primärvården." in (
        page.get_by_role("status").first.inner_text()
    )
    check(page)
    definition = IndicatorDefinition.objects.get(key=DEFINITION)
    assert (definition.source_kind, definition.source_code) == ("kolada", KPI)


def sync(page, base: str, *, first: bool) -> str:
    """Open Region Örebro län's sync page (the first time from the organisation's page, then
    from the indicator page's Kolada panel), the first time choose the other regions, press
    "Synka nu", run the job and return the job page's text."""
    if first:
        page.goto(base + f"/organisationer/{HOME}/")
        check(page)
        page.get_by_role("link", name="Synka värden från Kolada").click()
    else:
        page.get_by_role("link", name="Synka Region Örebro län från Kolada").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Kolada-synk för Region Örebro län", use_inner_text=True
    )
    check(page)
    if first:
        page.get_by_label("Jämför med").select_option(
            label="Alla organisationer av samma slag (regioner eller kommuner)"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Spara inställningarna").click()
        assert "är sparade" in page.content()
        check(page)
    page.get_by_role("button", name="Synka nu").click()
    run_queued_jobs()
    page.reload()
    result = page.locator("dl").first
    result.wait_for()
    check(page)
    return page.get_by_role("main").inner_text()


def read_indicator_page(page, base: str) -> None:
    definition = IndicatorDefinition.objects.get(key=DEFINITION)
    page.goto(base + f"/indikatorer/{definition.pk}/")
    check(page)
    table = page.get_by_role("table").first
    row_2023 = table.get_by_role("row", name="2023").first.inner_text()
    assert _sv(phone_value(HOME, 2023)) in row_2023
    assert _sv(phone_value(RIKET, 2023)) in row_2023
    row_2010 = table.get_by_role("row", name="2010").first.inner_text()
    assert _sv(phone_value(HOME, 2010)) in row_2010
    main = page.get_by_role("main").inner_text()
    assert "Prognos mot målet 2024:" in main
    assert "en prognos, inte en bedömning" in main
    assert "trend" in main.lower()
    assert "Kolada: " + KPI in main
    page.get_by_role("link", name="2023", exact=True).click()
    check(page)
    comparison = page.get_by_role("main").inner_text()
    for code, name in (("0001", "Region Stockholm"), ("0003", "Region Uppsala")):
        assert name in comparison
        assert _sv(phone_value(code, 2023)) in comparison


def _sv(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def measurement_rows() -> list[tuple]:
    """Every measurement as stored, with when it was last changed."""
    return sorted(Measurement.objects.values_list("pk", "value", "status", "source", "updated_at"))


def test_a_controller_links_a_kpi_syncs_and_reads_the_values(walk_kolada, live_server, page):
    call_command("kolada_catalogue", verbosity=0)
    assert KoladaKpi.objects.filter(code=KPI).exists()
    sign_in(page, live_server.url)
    find_and_link(page, live_server.url)
    first = sync(page, live_server.url, first=True)
    assert "Klar" in first and f"Lästa värden\n{(len(walk_kolada) + 1) * len(YEARS)}" in first
    synced = Measurement.objects.filter(definition__key=DEFINITION, source="Kolada")
    assert synced.filter(organisation__code=HOME).count() == len(YEARS)
    assert synced.values("organisation").distinct().count() == len(walk_kolada) + 1
    read_indicator_page(page, live_server.url)
    before = measurement_rows()
    page.go_back()  # from the comparison page to the indicator page, whose panel links the sync
    second = sync(page, live_server.url, first=False)
    assert "Kolada hade inga nya eller ändrade värden sedan" in second
    assert "Nya värden\n0\n" in second and "Ändrade värden (tidigare värde sparat)\n0\n" in second
    assert [run.status for run in SyncRun.objects.order_by("pk")] == [SyncRun.Status.DONE] * 2
    assert measurement_rows() == before
