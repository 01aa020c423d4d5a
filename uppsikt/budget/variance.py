"""Avvikelse: how an outcome or forecast differs from the budget, signed so that a positive
figure is always favourable (better than budget).

Measured in what the rows mean: for a cost row the variance is budget − utfall (a cost
below budget is positive), for a revenue row utfall − budget (revenue above budget is
positive). The table's sign convention tells the two apart: a driftbudget writes costs
negative and revenue positive, an investeringsbudget writes investments positive (and
investment grants negative). So, on the stored amounts:

- driftbudget: ``actual − budget`` (cost −90 against −100: +10; revenue 120 against 100: +20);
- investeringsbudget: ``budget − actual`` (investment 120 against 100: −20).

Every place that shows a variance (the table page and row pages, the month table, the XLSX
export, the reports, ``data.table_data``) computes it here, and states the convention with
``convention``.
"""

from decimal import Decimal

from django.utils.translation import gettext as _


def favourable(actual: Decimal, budget: Decimal, cost_sign: int) -> Decimal:
    """The variance of ``actual`` against ``budget``, positive when favourable.

    ``cost_sign`` is how the table writes money spent (``BudgetTable.cost_sign``): −1 in a
    driftbudget, +1 in an investeringsbudget.
    """
    return (budget - actual) * cost_sign


def convention(table) -> str:
    """One sentence for the page, the export and reports: what a positive variance means."""
    return _(
        "Avvikelse: ett positivt tal är bättre än budget. För kostnader är det budget minus "
        "utfall (eller prognos), för intäkter utfall (eller prognos) minus budget."
    )
