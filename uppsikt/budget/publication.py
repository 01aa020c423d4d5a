"""Which of a table's follow-up figures the public may see (issue 7.1).

A settled table of a decided plan is public, but the year's forecasts and outcomes are
follow-up: the public sees them only up to the end of the latest period of the table's year
that is reviewed, that is, closed or with the unit's report approved. Roles on the unit see
every figure. Budgets, revised budgets and earlier years' figures (part of the decided
plan) are always shown.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Max, Q

from uppsikt.accounts.access import Perm, can
from uppsikt.followup.models import UnitReport
from uppsikt.periods.models import ReportingPeriod

from .models import BudgetTable, Series
from .series import PERIOD_KINDS
from .stored import Loaded


def reviewed_until(table: BudgetTable) -> datetime.date | None:
    """The end of the latest reviewed period of the table's year and unit, if any."""
    reviewed = Q(status=ReportingPeriod.Status.CLOSED) | Q(
        unit_reports__unit_id=table.unit_id, unit_reports__state=UnitReport.State.GODKAND
    )
    return (
        ReportingPeriod.objects.filter(organisation_id=table.unit.organisation_id, year=table.year)
        .filter(reviewed)
        .aggregate(until=Max("ends_on"))["until"]
    )


def _month_end(series: Series) -> datetime.date:
    month = series.month
    year, month = (int(series.period[:4]), month) if month is not None else (series.year, 12)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def is_public(series: Series, table: BudgetTable, until: datetime.date | None) -> bool:
    """Whether the public may see ``series`` of ``table`` given the reviewed ``until``."""
    if series.kind not in PERIOD_KINDS or series.year < table.year:
        return True
    return until is not None and _month_end(series) <= until


def for_reader(loaded: Loaded, user) -> Loaded:
    """``loaded`` as ``user`` may see it: unchanged for roles on the unit; for anyone else
    without the forecasts and outcomes of periods not yet reviewed."""
    table = loaded.table
    if can(user, Perm.VIEW, table):
        return loaded
    until = reviewed_until(table)
    hidden = {
        series
        for node in loaded.nodes.values()
        for series in node.figures
        if not is_public(series, table, until)
    }
    if not hidden:
        return loaded
    for node in loaded.nodes.values():
        for series in hidden & set(node.figures):
            del node.figures[series]
    loaded.figures = {key: figure for key, figure in loaded.figures.items() if key[1] not in hidden}
    return loaded
