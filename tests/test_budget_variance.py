"""Avvikelse: positive is favourable for costs and revenue alike, in a driftbudget and an
investeringsbudget, the same on the page, in the month table, the XLSX export and reports."""

from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from uppsikt.budget.document import budget_document
from uppsikt.budget.forecast import year_of
from uppsikt.budget.models import Series
from uppsikt.budget.stored import load
from uppsikt.budget.tree import evaluate
from uppsikt.budget.variance import favourable
from uppsikt.budget.xlsx import table_workbook
from uppsikt.reports.content.budget import _variance_text

from .budget_helpers import row, small_table

pytestmark = pytest.mark.django_db
B23, U23, P23 = Series(2023, "budget"), Series(2023, "utfall"), Series(2023, "prognos", "2023-06")


def _table(kind: str):
    """A cost row and a revenue row, each 10 kr better than budget in outcome and forecast.

    A driftbudget writes costs negative and revenue positive; an investeringsbudget writes
    investments positive and an investment grant (money received) negative."""
    cost, revenue = ("-", "") if kind == "drift" else ("", "-")
    return small_table(
        kind,
        number="V",
        series=[
            {"kind": "budget", "year": 2023},
            {"kind": "utfall", "year": 2023},
            {"kind": "prognos", "year": 2023, "period": "2023-06"},
        ],
        rows=[
            {"label": "Kostnad", "code": "K", "figures": [f"{cost}100", f"{cost}90", f"{cost}95"]},
            {
                "label": "Intäkt",
                "code": "I",
                "figures": [f"{revenue}50", f"{revenue}60", f"{revenue}55"],
            },
            {"label": "Summa", "kind": "summa"},
        ],
        mapping=[],
    )


@pytest.mark.parametrize("kind", ["drift", "investering"])
def test_a_cost_below_budget_and_revenue_above_it_are_both_positive(kind):
    table = _table(kind)
    doc = budget_document(table, columns=[B23, U23])
    variance = {line.row.label: line.variance for line in doc.rows}
    assert variance["Kostnad"].value == 10 and variance["Kostnad"].text == "+10"
    assert variance["Intäkt"].value == 10 and variance["Intäkt"].text == "+10"
    assert variance["Summa"].value == 20
    # The API's data and the XLSX export carry the same figures.
    from uppsikt.budget.data import table_data

    data = {r["label"]: r["variance"] for r in table_data(table, [B23, U23])["rows"]}
    assert data == {"Kostnad": 10, "Intäkt": 10, "Summa": 20}
    sheet = load_workbook(BytesIO(table_workbook(doc))).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Kostnad"][-1] == 10 and rows["Intäkt"][-1] == 10
    assert any(str(label).startswith("Avvikelse: ett positivt tal är bättre") for label in rows)


@pytest.mark.parametrize("kind", ["drift", "investering"])
def test_the_month_table_signs_the_forecast_variance_the_same_way(kind):
    table = _table(kind)
    loaded = load(table)
    evaluate(loaded.roots)
    cost = year_of(loaded, 2023, loaded.nodes[row(table, "K").pk]).months[5]
    revenue = year_of(loaded, 2023, loaded.nodes[row(table, "I").pk]).months[5]
    assert cost.forecast_variance == 5 and revenue.forecast_variance == 5


def test_the_convention_is_stated_on_the_page_and_in_reports(client):
    table = _table("investering")
    client.force_login(_reader())  # the public sees only reviewed periods' outcomes
    html = client.get(table.get_absolute_url() + "?kolumn=budget-2023&kolumn=utfall-2023")
    html = html.content.decode()
    assert "Avvikelse: ett positivt tal är bättre än budget. För kostnader är det budget minus" in (
        html
    )
    assert "Prognos mot budget: ett positivt tal är bättre än budget" in html
    doc = budget_document(table, columns=[B23, P23])
    ctx = SimpleNamespace(period=SimpleNamespace(year=2023, ends_on_label="30 juni 2023"))
    text = _variance_text(doc, ctx).text
    assert "För kostnader är det budget minus utfall" in text


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_favourable_is_a_magnitude_difference(actual, budget):
    """In a driftbudget a cost row (negative) gives |budget| − |utfall| and a revenue row
    (positive) utfall − budget; an investeringsbudget is the mirror image."""
    if actual <= 0 and budget <= 0:  # a cost in a driftbudget
        assert favourable(actual, budget, -1) == abs(budget) - abs(actual)
    if actual >= 0 and budget >= 0:  # revenue in a driftbudget, an investment
        assert favourable(actual, budget, -1) == actual - budget
        assert favourable(actual, budget, 1) == budget - actual
    assert favourable(actual, budget, 1) == -favourable(actual, budget, -1)
    assert favourable(budget, budget, 1) == Decimal(0)


def _rounding_table():
    """Two rows each 0,4 tkr better than budget: the rows show +0 and +0, the sum +1."""
    return small_table(
        "drift",
        number="R",
        display_unit="tkr",
        series=[{"kind": "budget", "year": 2023}, {"kind": "utfall", "year": 2023}],
        rows=[
            {"label": "Rad A", "code": "A", "figures": ["-1,4", "-1,0"]},
            {"label": "Rad B", "code": "B", "figures": ["-1,4", "-1,0"]},
            {"label": "Summa", "kind": "summa"},
        ],
        mapping=[],
    )


def test_a_variance_sum_that_differs_from_its_rounded_rows_is_flagged():
    table = _rounding_table()
    doc = budget_document(table, columns=[B23, U23])
    variances = [line.variance for line in doc.rows]
    assert [v.text for v in variances] == ["0", "0", "+1"]
    assert variances[0].note is None and variances[1].note is None
    number = variances[2].note
    assert number is not None
    note = doc.rounding_notes[number - 1]
    assert "Summa" in note and "avvikelsen" in note and "avrundningsdifferens 1 tkr" in note


def test_the_variance_rounding_note_is_on_the_page_and_in_reports(client):
    from django.urls import reverse

    from uppsikt.reports.content.budget import budget_table

    table = _rounding_table()
    doc = budget_document(table, columns=[B23, U23])
    number = doc.rows[2].variance.note
    client.force_login(_reader())
    html = client.get(
        reverse("budget:table", args=[table.pk]) + "?kolumn=budget-2023&kolumn=utfall-2023"
    ).content.decode()
    assert f'href="#avrundning-{number}"' in html
    assert doc.rounding_notes[number - 1] in html.replace("&nbsp;", "\u00a0")
    report_table = budget_table(doc)
    variance_cell = report_table.rows[2].cells[-1]
    assert variance_cell.note == number
    assert report_table.notes[number - 1] == doc.rounding_notes[number - 1]


def _reader():
    from .builders import user_with_role

    return user_with_role("lasare-r", "lasare", "styrelsen")
