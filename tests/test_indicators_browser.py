"""The indicator pages in Debian's Chromium with axe-core."""

import pytest
from playwright.sync_api import expect

from uppsikt.indicators.demo import load_demo_indicators
from uppsikt.indicators.models import Assessment, IndicatorDefinition

from .a11y import assert_accessible
from .builders import load_demo, user_with_role
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_indicator_pages_pass_axe(live_server, page):
    load_demo()
    load_demo_indicators()
    definition = IndicatorDefinition.objects.get(key="frisktal")
    for path in (
        "/indikatorer/",
        definition.get_absolute_url(),
        f"/indikatorer/{definition.pk}/jamfor/2023/",
        f"/indikatorer/mal/{Assessment.objects.first().goal_id}/2023/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    page.goto(live_server.url + definition.get_absolute_url())
    table = page.get_by_role("table")
    assert "Frisktal per period" in table.locator("caption").inner_text()
    page.get_by_role("link", name="2023", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Jämförelse 2023", use_inner_text=True
    )


def test_staff_decision_form_passes_axe_with_errors(live_server, page, django_user_model):
    load_demo()
    load_demo_indicators()
    assessment = Assessment.objects.get(
        goal__number="4", goal__plan__unit__slug="regionstyrelsen", period="2023"
    )
    user_with_role("planerare")
    sign_in(page, live_server.url, "planerare")
    page.goto(live_server.url + f"/indikatorer/mal/{assessment.goal_id}/2023/")
    assert_accessible(page)
    other = "Ej uppfyllt" if assessment.proposed_status != "ej_uppfyllt" else "Uppfyllt"
    page.get_by_label("Bedömning", exact=True).select_option(label=other)
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_role("alert")).to_contain_text("Motivera", use_inner_text=True)
    assert_accessible(page)


def test_import_and_rule_pages_pass_axe(live_server, page, tmp_path):
    from uppsikt.indicators.models import IndicatorTarget

    from .builders import run_queued_jobs

    load_demo()
    load_demo_indicators()
    user_with_role("planerare")
    sign_in(page, live_server.url, "planerare")

    page.goto(live_server.url + "/indikatorer/inlasning/")
    assert_accessible(page)
    broken = tmp_path / "trasig.csv"
    broken.write_text("indikator;organisation;period;värde\nokänd;0018;2023;1\nhme;0018;2023;x\n")
    page.get_by_label("Fil", exact=True).set_input_files(str(broken))
    page.get_by_role("button", name="Kontrollera och läs in").click()
    run_queued_jobs()
    page.reload()
    table = page.get_by_role("table", name="Felaktiga rader")
    assert "Okänd indikator" in table.inner_text() and "inte ett tal" in table.inner_text()
    assert_accessible(page)

    target = IndicatorTarget.objects.get(definition__key="fardigbehandlade-ett-besok")
    page.goto(live_server.url + f"/indikatorer/malregel/{target.pk}/")
    assert_accessible(page)
    # The demo's plan is decided: its rule can be confirmed as it stands, not changed here.
    confirm = page.get_by_role("button", name="Bekräfta regeln som den står")
    page.get_by_label("Minst (gränsvärde)").fill("")
    confirm.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ange minst eller högst.", use_inner_text=True
    )
    assert_accessible(page)
    page.get_by_label("Minst (gränsvärde)").fill("55")
    page.get_by_role("button", name="Bekräfta regeln som den står").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj Revidera planen", use_inner_text=True)
    expect(page.get_by_role("link", name="Revidera planen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Minst (gränsvärde)").fill("50,0")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekräfta regeln som den står").click()
    assert "Minst 50,0" in page.content()
    assert "förslag ur texten" not in page.content()
    assert "bekräftad som exempel" not in page.content()


def test_forecast_toward_the_target_passes_axe(live_server, page):
    """Prognos mot målet: the indicator page (a forecast row, a dashed bar) and the goal's
    assessment page for a tertial (its own table, apart from the proposal)."""
    from decimal import Decimal

    from uppsikt.indicators.models import IndicatorTarget, Measurement
    from uppsikt.indicators.proposals import propose_assessment

    load_demo()
    load_demo_indicators()
    target = IndicatorTarget.objects.get(definition__key="fardigbehandlade-ett-besok")
    goal, definition = target.indicator.goal, target.definition
    region = goal.plan.unit.organisation
    for period, value in (("2023T2", Decimal("49.0")), ("2024T2", Decimal("48.0"))):
        Measurement.objects.create(
            definition=definition, organisation=region, period=period, value=value
        )
    propose_assessment(goal, "2024T2")
    page.goto(live_server.url + definition.get_absolute_url())
    expect(page.get_by_role("row", name="2024, prognos")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + f"/indikatorer/mal/{goal.pk}/2024T2/")
    table = page.get_by_role("table", name="Prognos 2024 per indikator")
    assert "Samma del av 2023" in table.inner_text()
    assert_accessible(page)
