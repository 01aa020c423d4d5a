"""The derived indicator's form and pages in Debian's Chromium, without JavaScript needed:
an error, the saved formula and an input's "Används i" pass axe-core."""

import pytest
from playwright.sync_api import expect

from uppsikt.indicators.models import IndicatorDefinition

from .a11y import assert_accessible
from .builders import load_minimal, user_with_role
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_defines_a_derived_indicator_in_the_browser(live_server, page):
    load_minimal()
    IndicatorDefinition.objects.create(key="vp-b", name="Antal vårdplatser", unit="antal")
    people = IndicatorDefinition.objects.create(key="fm-b", name="Folkmängd", unit="antal")
    per = IndicatorDefinition.objects.create(
        key="per-b", name="Vårdplatser per 1 000 invånare", unit="antal"
    )
    user_with_role("planerare_browser", "planerare", "styrelsen")
    sign_in(page, live_server.url, "planerare_browser")
    page.goto(live_server.url + f"/indikatorer/{per.pk}/")
    page.get_by_role("link", name="Beräkna indikatorn ur andra indikatorer").click()
    assert_accessible(page)
    page.get_by_label("Kvot", exact=True).check()
    page.get_by_label("Indikator 1").select_option("vp-b")
    page.get_by_label("Indikator 2").select_option("vp-b")
    page.get_by_label("Faktor (bara för kvot)").fill("tusen")
    page.get_by_role("button", name="Spara beräkningen").click()
    expect(page.get_by_role("alert")).to_contain_text("Faktor (bara för kvot)", use_inner_text=True)
    assert_accessible(page)
    page.get_by_label("Indikator 2").select_option("fm-b")
    page.get_by_label("Faktor (bara för kvot)").fill("1 000")
    page.get_by_role("button", name="Spara beräkningen").click()
    page.wait_for_url(lambda url: "berakning" not in url)
    facts = page.locator("dl.facts").inner_text()
    assert "BERÄKNAS SOM" in facts.upper() and "Antal vårdplatser / Folkmängd × 1" in facts
    assert_accessible(page)
    page.get_by_role("link", name="Folkmängd").click()
    page.wait_for_url(lambda url: people.get_absolute_url() in url)
    assert "Vårdplatser per 1 000 invånare" in page.locator("dl.facts").inner_text()
    assert_accessible(page)
