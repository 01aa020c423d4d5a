"""Budget tables in the follow-up: their scope provider (periodrapporter follow up the
economy with its forecast, so every period has the unit's tables of the year in scope) and
their status. Registered with ``followup`` in ``BudgetConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from uppsikt.followup.scope import Item
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .models import BudgetTable


def budget_items(unit: Unit, period: ReportingPeriod) -> list[Item]:
    tables = BudgetTable.objects.filter(unit=unit, year=period.year).order_by(
        "position", "number", "pk"
    )
    return [
        Item(
            target=table,
            unit=unit,
            kind_label=_("Budgettabell"),
            title=str(table),
            group=_("Budget"),
            order=(40, table.position, table.number, table.pk),
        )
        for table in tables
    ]


def budget_work(periods: list[ReportingPeriod], unit_ids: set[int]) -> set[tuple[int, int]]:
    """For Att göra (``followup.todo.work_finders``): the units with a budget table of the
    period's year, in every kind of period, in one query."""
    rows = BudgetTable.objects.filter(
        unit_id__in=unit_ids, year__in={period.year for period in periods}
    ).values_list("unit_id", "year")
    by_year: dict[int, set[int]] = {}
    for unit_id, year in rows:
        by_year.setdefault(year, set()).add(unit_id)
    return {(period.pk, unit_id) for period in periods for unit_id in by_year.get(period.year, ())}
