"""Prognos mot målet on the indicator page and the goal's assessment page (SQLite and PG)."""

from decimal import Decimal

import pytest

from uppsikt.indicators.models import Assessment, IndicatorDefinition, IndicatorTarget, Measurement
from uppsikt.indicators.outlook import forecast_target
from uppsikt.indicators.proposals import propose_assessment
from uppsikt.indicators.queries import series_for

pytestmark = pytest.mark.django_db

THRESHOLD = "fardigbehandlade-ett-besok"  # "Minst 50,0 %", demo values 2019–2023


def _forecast_section(html: str) -> str:
    start = html.index('<section aria-labelledby="forecast-h"')
    return html[start : html.index("</section>", start)]


def test_indicator_page_labels_the_forecast_with_its_method_and_data(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key=THRESHOLD)
    target = IndicatorTarget.objects.get(definition=definition)
    region = target.indicator.goal.plan.unit.organisation
    # The plan is for 2023 with förutsättningar to 2025; 2023 is measured, so 2024 is forecast.
    expected = forecast_target(target.target_rule, series_for(definition), region, "2024")
    assert expected.projection.basis == "Trend över 2019–2023 (5 årsvärden)"
    html = client.get(definition.get_absolute_url()).content.decode()
    assert "Prognos mot målet 2024:" in html
    assert "trend över 2019–2023 (5 årsvärden)" in html
    assert expected.verdict_label in html and "(en prognos, inte en bedömning)" in html
    assert "Prognos mot målet är en beräkning, inte en bedömning" in html
    assert "inte den helårsprognos som lämnas för hand i uppföljningen" in html
    # The data table has the forecast as a row of its own, said in words, with the target.
    row = html[html.index("2024, prognos") :].split("</tr>")[0]
    shown = f"{expected.projection.value:.1f}".replace(".", ",")
    assert shown in row and "Minst 50,0" in row
    # The chart draws it as a dashed, labelled bar, and the legend names it.
    assert "bar--forecast" in html and "Prognos (streckad ram)" in html
    assert f"{region.name}, prognos 2024:" in html


def test_the_forecast_is_not_an_assessment(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key=THRESHOLD)
    before = list(Assessment.objects.values_list("pk", "proposed_status", "proposed_reason"))
    client.get(definition.get_absolute_url())
    after = list(Assessment.objects.values_list("pk", "proposed_status", "proposed_reason"))
    assert before == after  # nothing stored, no proposal changed
    assert not Assessment.objects.filter(period="2024").exists()
    assert not any("Prognos" in reason for _pk, _status, reason in after)


def test_goal_assessment_page_shows_the_same_part_of_last_year_apart_from_the_proposal(
    client, demo_with_indicators
):
    definition = IndicatorDefinition.objects.get(key=THRESHOLD)
    target = IndicatorTarget.objects.get(definition=definition)
    goal = target.indicator.goal
    region = goal.plan.unit.organisation
    last_year = Measurement.objects.get(
        definition=definition, organisation=region, period="2023", gender="T"
    ).value
    for period, value in (("2023T2", last_year - 3), ("2024T2", Decimal("48.0"))):
        Measurement.objects.create(
            definition=definition, organisation=region, period=period, value=value
        )
    assessment = propose_assessment(goal, "2024T2")
    html = client.get(f"/indikatorer/mal/{goal.pk}/2024T2/").content.decode()
    section = _forecast_section(html)
    # 48,0 % in tertial 2, and last year's change from tertial 2 to the year (+3 points).
    assert "Prognos mot målet vid slutet av 2024" in section
    assert "51,0" in section and "Samma del av föregående år" in section
    assert "Samma del av 2023: 2023T2 till helår 2023" in section
    assert "Målet ser ut att nås" in section
    assert "inte en bedömning" in section
    # Never with the scale's badges or symbols, and never in the proposal or its reason.
    assert "badge" not in section and "<svg" not in section
    assessment.refresh_from_db()
    row = next(r for r in assessment.indicator_results if r["indicator"] == target.indicator_id)
    assert row["status"] == "ej_uppfyllt"  # the proposal judges 48,0 % < 50 %
    assert "Prognos" not in assessment.proposed_reason and "Prognos" not in row["reason"]


def test_goal_assessment_page_of_a_measured_year_needs_no_forecast(client, demo_with_indicators):
    assessment = Assessment.objects.get(
        goal__number="4", goal__plan__unit__slug="regionstyrelsen", period="2023"
    )
    html = client.get(f"/indikatorer/mal/{assessment.goal_id}/2023/").content.decode()
    section = _forecast_section(html)
    assert "Utfallet för 2023 finns för alla indikatorer med en målregel" in section


def test_the_follow_up_entry_shows_the_forecast_beside_the_proposal(client):
    from uppsikt.indicators.actions import record_measurement
    from uppsikt.indicators.followup import assessment_for
    from uppsikt.organisations.models import Organisation

    from .manual_setup import manual_setting

    setting = manual_setting()  # visits: antal, "Ska öka", 2022: 1 000
    organisation = Organisation.objects.get(code="0099")
    for year, value in (("2020", 900), ("2021", 950)):
        record_measurement(setting.visits.definition, organisation, year, Decimal(value))
    assessment_for(setting.goal, setting.period)
    client.force_login(setting.planner)
    page = client.get("/uppfoljning/0099/2023-delarsrapport/styrelsen/").content.decode()
    start = page.index('<p class="fu-forecast">')
    line = page[start : page.index("</p>", start)]
    assert "Prognos mot målet vid årets slut" in line and "inte en bedömning" in line
    assert "1\xa0050, trend över 2020–2022 (3 årsvärden) – målet ser ut att nås" in line
    # The share has no value at all: it cannot be forecast, and says why.
    assert "kan inte bedömas – För få årsvärden" in line
