"""The kön flag is shown as text beside the assessment wherever the assessment is shown.

A total that meets its target while kvinnor (or män) do not keeps the total's status; the
indicator carries a flag ("Kvinnor når inte målet (totalen gör det)") and its goal says
how many of its indicators carry one: on the assessment page, the plan's goal page, the
indicator page, the follow-up form and the report (HTML, PDF, DOCX, XLSX).
"""

import io
import re

import pytest
from django.urls import reverse

from uppsikt.indicators.actions import record_measurement
from uppsikt.indicators.models import Assessment
from uppsikt.reports.build import build_report

from .builders import user_with_role
from .flag_setup import FLAG, FORM, GOAL_FLAG, make_flag_setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag_setting():
    return make_flag_setting()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_proposal_stands_on_the_total_and_carries_the_flag(flag_setting):
    assessment = flag_setting.assessment
    (row,) = assessment.indicator_results
    assert row["status"] == "uppfyllt" and assessment.proposed_status == "uppfyllt"
    assert row["gender_flag"] and row["gender_lagging"] == ["K"]
    assert f"{FLAG}." in row["reason"]
    assert f"{GOAL_FLAG}." in assessment.proposed_reason
    assert assessment.gender_flag_text == GOAL_FLAG


def test_the_assessment_page_shows_both_flags_as_text_beside_the_statuses(flag_setting, client):
    client.force_login(flag_setting.planner)
    url = reverse("indicators:goal_assessment", args=[flag_setting.goals[0].pk, "2023-07"])
    html = client.get(url).content.decode()
    # Beside the goal's proposal, and beside the indicator's status in its row.
    assert re.search(
        rf'badge--uppfyllt">Uppfyllt</span> <span class="flag">{GOAL_FLAG}</span></dd>', html
    )
    assert f'badge--uppfyllt">Uppfyllt</span> <span class="flag">{FLAG}</span></td>' in html
    assert "sänks inte" in text_of(html)  # the rule says so in words


def test_the_goal_indicator_and_follow_up_pages_show_the_flags(flag_setting, client):
    client.force_login(flag_setting.planner)
    goal_page = client.get(flag_setting.goals[0].get_absolute_url()).content.decode()
    assert f'<span class="flag">{GOAL_FLAG}</span>' in goal_page
    assert f'<span class="flag">{FLAG}</span>' in goal_page  # the indicator's line
    indicator_page = client.get(flag_setting.definition.get_absolute_url()).content.decode()
    assert f'<span class="flag">{FLAG}</span>' in indicator_page
    form = client.get(FORM).content.decode()
    assert f'Uppfyllt</strong> <span class="flag">{GOAL_FLAG}</span> – ' in form


def test_the_report_writes_the_flags_beside_the_statuses_in_every_format(flag_setting):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    reader = user_with_role("flagg-lasare", "lasare", "styrelsen")

    def report(fmt: str) -> bytes:
        return build_report(flag_setting.unit, flag_setting.period, fmt, user=reader)[2]

    html = text_of(report("html").decode())
    assert f"automatiskt förslag, inte beslutat; {GOAL_FLAG}" in html
    assert f"Uppfyllt – {FLAG}" in html  # the indicator table
    assert f"Uppfyllt – {GOAL_FLAG}" in html  # the summary table
    pdf = PdfReader(io.BytesIO(report("pdf")))
    pdf_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    assert FLAG in pdf_text and GOAL_FLAG in pdf_text
    document = Document(io.BytesIO(report("docx")))
    docx_text = " ".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert f"Uppfyllt – {FLAG}" in docx_text and GOAL_FLAG in docx_text
    book = load_workbook(io.BytesIO(report("xlsx")))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert f"Uppfyllt – {FLAG}" in cells


def test_a_proposal_stored_under_the_old_rule_is_refreshed_by_new_values(flag_setting):
    """Proposals stored before the rule changed (delvis for a kön flag) are recomputed by
    the existing paths: a new value feeding them (here), a rule or aggregation change, or
    the demo's load."""
    assessment = flag_setting.assessment
    old = [{**assessment.indicator_results[0], "status": "delvis_uppfyllt"}]
    old[0].pop("gender_lagging")  # stored before the groups were kept
    Assessment.objects.filter(pk=assessment.pk).update(
        proposed_status="delvis_uppfyllt", indicator_results=old
    )
    stale = Assessment.objects.get(pk=assessment.pk)
    assert stale.gender_flag_text == "1 indikator är uppfylld totalt men inte för kvinnor eller män"
    # A corrected value recomputes every stored proposal it feeds (repropose_for_definitions).
    record_measurement(
        flag_setting.definition, flag_setting.goals[0].plan.unit.organisation, "2023-07", "61"
    )
    fresh = Assessment.objects.get(pk=assessment.pk)
    assert fresh.proposed_status == "uppfyllt"
    assert fresh.indicator_results[0]["gender_lagging"] == ["K"]
