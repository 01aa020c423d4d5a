"""What the public site shows of the budget ("Vart går pengarna?"): the settled budget tables
of the organisation's decided plans in force, each as a chart with its data table and the
whole table beneath.

Every figure and sum is the budget app's own: the table is read by ``budget.stored.load``,
stripped of what the public may not yet see by ``budget.publication.for_reader`` (forecasts
and outcomes of periods not reviewed), and computed by ``budget.document.budget_document``
(``budget.tree``'s sums, from exact kronor). The chart and the tables are laid out by the
reports' budget section, so a resident reads the same figures as the printed report. The
page shows the same to everyone, signed in or not: it is the public's view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from uppsikt.budget.document import BudgetDocument, budget_document, follow_up_columns
from uppsikt.budget.models import BudgetTable
from uppsikt.budget.publication import for_reader
from uppsikt.budget.stored import load
from uppsikt.plans.models import Plan
from uppsikt.reports.content.budget import budget_chart, budget_table
from uppsikt.reports.document import Chart, Table


@dataclass
class PublicTable:
    table: BudgetTable
    doc: BudgetDocument
    chart: Chart | None
    data: Table


def public_tables(plans: list[Plan]) -> list[BudgetTable]:
    """The settled tables of ``plans`` as the public may read them, in the plans' order."""
    return list(
        BudgetTable.objects.visible_to(AnonymousUser())
        .filter(plan__in=plans)
        .select_related("unit__organisation", "plan")
        .order_by("unit__position", "unit__pk", "kind", "position", "number", "pk")
    )


def public_document(table: BudgetTable) -> BudgetDocument:
    """The table as the public sees it: the year's budget, latest published forecast and
    latest published outcome when it has them, else the columns the plan printed."""
    loaded = for_reader(load(table), AnonymousUser())
    columns = follow_up_columns(loaded, table.year)
    return budget_document(table, columns=columns if len(columns) > 1 else None, loaded=loaded)


def year_columns(doc: BudgetDocument, year: int) -> list | None:
    """The plan year's own columns for the chart (its budget first, then its forecast and
    outcome), at most two; None when the table has none of that year."""
    own = [series for series in doc.series if series.year == year]
    own.sort(key=lambda series: series.kind != "budget")
    return own[:2] or None


def overview(plans: list[Plan]) -> list[PublicTable]:
    shown = []
    for table in public_tables(plans):
        doc = public_document(table)
        chart = budget_chart(doc, year_columns(doc, table.year))
        if chart is not None:
            chart.ident = f"budget-{table.pk}"
        shown.append(PublicTable(table, doc, chart, budget_table(doc)))
    return shown
