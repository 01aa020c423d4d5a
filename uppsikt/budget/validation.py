"""Checking proposed figures against a table before anything is written.

Every way of changing figures (an import, an edit, a reallocation) proposes new amounts per
(row, series); ``check_changes`` merges them with the stored figures and reports, in Swedish
and naming the row:

- rows that cannot hold figures (sums, headings), or a series that cannot be written;
- figures in a period whose reporting period (``periods.ReportingPeriod``) is closed;
- the varav rule (``tree.check``) on the merged figures;
- control totals: a sum a file states for a computed row, compared with the computed sum,
  both figures named when they disagree.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.lib.problems import Problem
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan

from . import tree
from .models import BudgetRow, BudgetTable, Series
from .money import format_money, round_half_up, to_unit
from .stored import Loaded


@dataclass
class ControlTotal:
    """A sum a file states for a computed row, in kronor, written with ``decimals`` in
    ``unit``: compared after rounding the computed sum the same way."""

    row: BudgetRow
    series: Series
    amount: Decimal
    unit: str
    decimals: int
    where: str
    line: int | None = None


def closed_periods(table: BudgetTable) -> dict[str, ReportingPeriod]:
    """Months ("2023-07") in which a closed reporting period of the table's organisation
    ends: forecasts and outcomes made at those months can no longer change."""
    closed = ReportingPeriod.objects.filter(
        organisation_id=table.unit.organisation_id, status=ReportingPeriod.Status.CLOSED
    )
    return {f"{p.ends_on.year:04d}-{p.ends_on.month:02d}": p for p in closed}


def row_name(row: BudgetRow) -> str:
    return row.label


def decided_budget(table: BudgetTable, series: Series) -> bool:
    """Whether ``series`` is the decided budget of a decided plan (the plan's own year): it
    never changes. A change during the year goes into the revised budget; a new decision is
    a revision of the plan."""
    if series.kind != "budget" or table.plan_id is None:
        return False
    plan = Plan.objects.filter(pk=table.plan_id).values_list("status", "year").first()
    return plan is not None and plan[0] in Plan.PUBLISHED_STATUSES and plan[1] == series.year


def decided_budget_problem(place: str, series: Series, line: int | None = None) -> Problem:
    return Problem(
        place,
        _(
            "%(series)s är beslutad och kan inte ändras; för in ändringen i reviderad budget "
            "eller revidera planen"
        )
        % {"series": series},
        "decided_budget",
        line,
    )


def check_changes(
    loaded: Loaded,
    changes: dict[tuple[int, Series], Decimal],
    controls: Sequence[ControlTotal] = (),
    where: dict[tuple[int, Series], str] | None = None,
    lines: dict[tuple[int, Series], int] | None = None,
) -> list[Problem]:
    """Problems with writing ``changes`` (row pk, series) → kronor into the loaded table.

    On success the loaded nodes hold the merged figures and their computed values.
    """
    where, lines = where or {}, lines or {}
    problems: list[Problem] = []
    closed = closed_periods(loaded.table)
    decided = {}
    for (pk, series), amount in changes.items():
        row = loaded.rows[pk]
        place = where.get((pk, series), row_name(row))
        line = lines.get((pk, series))
        if series not in decided:
            decided[series] = decided_budget(loaded.table, series)
        stored = loaded.figures.get((pk, series))
        if decided[series] and (stored is None or stored.amount != amount):
            problems.append(decided_budget_problem(place, series, line))
            continue
        if row.kind not in tree.OWN_FIGURES:
            problems.append(
                Problem(
                    place, _("raden räknas fram och kan inte få egna belopp"), "computed_row", line
                )
            )
            continue
        if series.period in closed:
            problems.append(
                Problem(
                    place,
                    _("%(series)s hör till %(period)s, som är stängt")
                    % {"series": series, "period": closed[series.period].name},
                    "closed_period",
                    line,
                )
            )
            continue
        if int(amount.as_tuple().exponent) < -2 or abs(amount) >= Decimal(10) ** 16:
            problems.append(
                Problem(
                    place,
                    _("beloppet %(a)s kr kan inte sparas exakt") % {"a": amount},
                    "not_exact",
                    line,
                )
            )
            continue
        loaded.nodes[pk].figures[series] = amount
    if problems:
        return problems
    for name, message in tree.check(loaded.roots, describe=lambda node, _path: node.label):
        problems.append(Problem(name, message, "varav"))
    tree.evaluate(loaded.roots)
    for control in controls:
        problem = _control_problem(loaded, control)
        if problem:
            problems.append(problem)
    return problems


def _control_problem(loaded: Loaded, control: ControlTotal) -> Problem | None:
    computed = loaded.nodes[control.row.pk].values.get(control.series)
    stated = round_half_up(to_unit(control.amount, control.unit), control.decimals)
    shown = (
        None
        if computed is None
        else round_half_up(to_unit(computed, control.unit), control.decimals)
    )
    if shown == stated:
        return None
    return Problem(
        control.where,
        _(
            "filen anger summan %(stated)s %(unit)s för %(row)s, %(series)s, men raderna ger "
            "%(computed)s %(unit)s"
        )
        % {
            "stated": format_money(control.amount, control.unit, control.decimals),
            "computed": "–"
            if computed is None
            else format_money(computed, control.unit, control.decimals),
            "unit": control.unit,
            "row": control.row.label,
            "series": control.series,
        },
        "control_total",
        control.line,
    )
