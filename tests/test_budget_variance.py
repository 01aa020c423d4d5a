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
