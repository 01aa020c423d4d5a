"""The indicator pages: definition with its series, comparison by period, list."""

import re

import pytest

from uppsikt.indicators.models import IndicatorDefinition

from .builders import user_with_role

pytestmark = pytest.mark.django_db


def test_definition_page_shows_series_table_with_riket_and_gender(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key="tillgang-till-varden")
    response = client.get(definition.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Region Örebro län, kvinnor" in html
    assert "Riket, totalt" in html
    assert "Exempeldata" in html
    assert "Högre än rikets nivå" in html
    assert "(preliminärt)" in html
    assert "<svg" in html
    assert f"/indikatorer/{definition.pk}/jamfor/2023/" in html


def test_definition_page_threshold_target_column(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key="fardigbehandlade-ett-besok")
    html = client.get(definition.get_absolute_url()).content.decode()
    assert "Målvärde" in html and "Minst 50,0" in html


def test_comparison_ranks_organisations(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key="personalomsattning-externt")
    response = client.get(f"/indikatorer/{definition.pk}/jamfor/2022/")
    assert response.status_code == 200
    ranked = response.context["ranked"]
    assert {r.organisation.code for r in ranked} >= {"0000", "0018", "0010"}
    # Riket is the reference row on top, not ranked; the 21 regions are ranked 1…
    assert ranked[0].organisation.code == "0000" and ranked[0].rank is None
    regions = ranked[1:]
    assert len(regions) == 21 and regions[0].rank == 1
    values = [r.value for r in regions]
    assert values == sorted(values)  # lower is better: lowest first
    html = response.content.decode()
    assert "Exempeldata" in html and "Riket visas överst som referens" in html
    riket_row = html[html.index('class="reference-row"') :].split("</tr>")[0]
    assert "Referens" in riket_row and "Riket" in riket_row


def test_comparison_refuses_bad_periods(client, demo_with_indicators):
    definition = IndicatorDefinition.objects.get(key="hme")
    assert client.get(f"/indikatorer/{definition.pk}/jamfor/2023T9/").status_code == 404
    assert client.get("/indikatorer/999999/").status_code == 404


def test_list_and_empty_definition(client, demo_with_indicators):
    response = client.get("/indikatorer/")
    assert response.status_code == 200
    assert "Frisktal" in response.content.decode()
    empty = IndicatorDefinition.objects.create(key="tom", name="Tom", unit="antal")
    html = client.get(empty.get_absolute_url()).content.decode()
    assert "Det finns inga mätvärden för indikatorn." in html


def test_goal_assessment_page_and_staff_decision(client, demo_with_indicators, django_user_model):
    from uppsikt.indicators.models import Assessment

    assessment = Assessment.objects.get(
        goal__number="4", goal__plan__unit__slug="regionstyrelsen", period="2023"
    )
    url = f"/indikatorer/mal/{assessment.goal_id}/2023/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Minst 50,0" in html and "Besluta bedömning" not in html
    assert "Exempeldata" in html
    assert client.post(url, {"status": "uppfyllt"}).status_code == 403

    staff = user_with_role("planerare")
    client.force_login(staff)
    other = "ej_uppfyllt" if assessment.proposed_status != "ej_uppfyllt" else "uppfyllt"
    # The label states the rule the form enforces: required only when deviating.
    page = client.get(url).content.decode()
    assert "Obligatorisk när bedömningen avviker från förslaget; frivillig när du bekräftar" in page
    response = client.post(url, {"status": other, "comment": ""})
    assert response.status_code == 200
    assert "Motivera varför bedömningen avviker från förslaget." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.decided_status is None
    response = client.post(url, {"status": other, "comment": "Enligt nämndens granskning."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.decided_status, assessment.decided_by) == (other, staff)
    # Confirming the proposal needs no comment, as the label says.
    response = client.post(url, {"status": assessment.proposed_status, "comment": ""})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.decided_status == assessment.proposed_status and not assessment.comment


def test_indicator_page_charts_gender_riket_and_target_and_shows_the_assessment(
    client, demo_with_indicators
):
    definition = IndicatorDefinition.objects.get(key="tillgang-till-varden")
    html = client.get(definition.get_absolute_url()).content.decode()
    assert 'class="bar--k"' in html and 'class="bar--m"' in html and 'class="bar--1"' in html
    assert "Region Örebro län, kvinnor" in html
    assert "Bedömning helår 2023:" in html and "för riket (2023)" in html
    assert not re.search(r"\b0000\b", html.split("<table")[0])  # Riket by name, not code

    threshold = IndicatorDefinition.objects.get(key="fardigbehandlade-ett-besok")
    html = client.get(threshold.get_absolute_url()).content.decode()
    # One target line per year 2019–2023 and one for 2024, the year of the plan's forecast.
    assert html.count('class="target"') == 6
    assert "Målvärde 2023: 50,0" in html


def test_comparison_rows_are_escaped_and_marked(client, demo_with_indicators):
    from uppsikt.indicators.actions import record_measurement
    from uppsikt.organisations.models import Organisation

    definition = IndicatorDefinition.objects.get(key="tillgang-till-varden")
    odd = Organisation.objects.create(code="9998", name="Kommun <b>&</b>", kind="kommun")
    record_measurement(definition, odd, "2023", "99,5".replace(",", "."), status="preliminar")
    html = client.get(f"/indikatorer/{definition.pk}/jamfor/2023/").content.decode()
    assert "Kommun &lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>&</b>" not in html
    row = html[html.index("Kommun &lt;b&gt;") :].split("</tr>")[0]
    assert "99,5\u00a0%" in row and "(preliminärt)" in row
    assert row.count('class="number"') == 3  # value, kvinnor, män (divided by kön)
