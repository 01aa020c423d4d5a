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
