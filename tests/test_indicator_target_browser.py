"""The indicator authoring page in Debian's Chromium with axe-core: the live preview with
JavaScript, the Förhandsgranska button without it, and its errors."""

import pytest
from playwright.sync_api import expect

from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget
from uppsikt.plans.models import Indicator

from .a11y import assert_accessible
from .builders import load_minimal, user_with_role
from .signin import sign_in as sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\xa0"


def sign_in(page, base):
    sign_in_as(page, base, "planerare")


@pytest.fixture
def draft_setting():
    load_minimal(status="utkast")
    user_with_role("planerare", "planerare", "styrelsen")
    IndicatorDefinition.objects.create(key="nojda", name="Andel nöjda", unit="procent")
    IndicatorDefinition.objects.create(key="besok", name="Antal besök", unit="antal")
    return Indicator.objects.get(text="Indikator 1a")


def test_the_page_previews_as_the_planner_types_and_passes_axe(live_server, page, draft_setting):
    sign_in(page, live_server.url)
    page.goto(live_server.url + f"/indikatorer/i-plan/{draft_setting.pk}/")
    assert_accessible(page)
    preview = page.locator("#rule-preview")
    assert preview.get_attribute("aria-live") == "polite"
    page.get_by_label("Definition ur biblioteket").select_option(label="Andel nöjda (procent)")
    page.get_by_label("Gränsvärde (minst / högst)").check()
    expect(page.get_by_label("Jämförelseorganisationens kod")).to_be_hidden()  # another kind's
    page.get_by_label("Minst (gränsvärde)").fill("60")
    expect(preview).to_contain_text(f"Minst 60,0{NBSP}%")
    page.get_by_label("Minst (gränsvärde)").fill("120")
    expect(preview).to_contain_text("mellan 0 och 100")
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("mellan 0 och 100", use_inner_text=True)
    assert not IndicatorTarget.objects.exists()
    assert_accessible(page)
    page.get_by_label("Minst (gränsvärde)").fill("60")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/redigera/**")
    assert IndicatorTarget.objects.get().describe_rule() == f"Minst 60,0{NBSP}%"


def test_without_javascript_the_preview_button_shows_the_sentence(
    live_server, browser, draft_setting
):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()  # (axe needs JavaScript: the other test runs it on this page)
    try:
        sign_in(page, live_server.url)
        page.goto(live_server.url + f"/indikatorer/i-plan/{draft_setting.pk}/")
        page.get_by_label("Beskriv en ny definition").check()
        page.get_by_label("Namn", exact=True).fill("Väntetid")
        page.get_by_label("Enhet", exact=True).select_option(label="dagar")
        page.get_by_label("Målvärden per period").check()
        page.get_by_label("År, rad 1", exact=True).fill("2024")
        page.get_by_label("Målvärde, rad 1", exact=True).fill("30")
        page.get_by_label("År, rad 2", exact=True).fill("2025")
        page.get_by_label("Målvärde, rad 2", exact=True).fill("25")
        page.get_by_role("button", name="Förhandsgranska").click()
        text = page.locator("#rule-preview").inner_text()
        assert "2024: minst 30,0" in text and "2025: minst 25,0" in text
        assert not IndicatorTarget.objects.exists()
        page.get_by_role("button", name="Spara").click()
        page.wait_for_url("**/redigera/**")
        target = IndicatorTarget.objects.get()
        assert (target.definition.name, target.definition.unit) == ("Väntetid", "dagar")
    finally:
        context.close()
