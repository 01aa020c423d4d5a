"""Budget tables from a data file (format ``uppsikt-budget/1``) written as a person, never
over existing tables: the variant of ``load.load_budget_data`` for accepting a plan
document's proposal (``proposals.actions.accept``).

The file is validated by the loader's own reader (``load.read_budget_data``: rows, series,
figures, the document's Summa rows against the computed sums); then the person's right to
write plans for each table's unit (``Perm.PLAN``) is checked, and a table whose unit already
has a table with the same number or the same title for the year is refused rather than
replaced. Everything is refused at once, naming every table, and nothing is written; on
success each table is an audit event as the person.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record
from uppsikt.lib.concurrency import lock_rows
from uppsikt.lib.problems import Problem
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from ..load import BudgetLoadError, read_budget_data, table_counts, write_table
from ..models import BudgetTable


def refused(problems: list[Problem]) -> ValidationError:
    """The refusal: one message per problem, each with its machine code."""
    return ValidationError(
        [ValidationError(str(problem), code=problem.code) for problem in problems]
    )


def _name(spec: dict[str, Any]) -> str:
    return f"{spec['number']} {spec['title']}".strip()


def _existing(tables: list[tuple[dict[str, Any], Any, Any]]) -> list[Problem]:
    """A table whose unit already has one with the same number or title for the year, or
    that the file itself gives twice."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for index, (spec, _roots, _rules) in enumerate(tables):
        same = Q(title=spec["title"]) | (Q(number=spec["number"]) if spec["number"] else Q())
        other = BudgetTable.objects.filter(same, unit=spec["unit"], year=spec["year"]).first()
        place = (spec["unit"].pk, spec["year"])
        keys = {(*place, "title", spec["title"])}
        keys |= {(*place, "number", spec["number"])} if spec["number"] else set()
        where = f"tables[{index}]"
        values = {"table": _name(spec), "unit": spec["unit"], "year": spec["year"]}
        if other is not None:
            values["other"] = str(other)
            message = _(
                "Budgettabellen ”%(table)s”: %(unit)s har redan tabellen ”%(other)s” för "
                "%(year)s. Befintliga budgettabeller skrivs aldrig över; ta bort tabellen ur "
                "förslaget eller ändra dess nummer och rubrik."
            )
            problems.append(Problem(where, message % values, "budget_table_exists"))
        elif keys & seen:
            message = _(
                "Budgettabellen ”%(table)s” finns två gånger för %(unit)s %(year)s; ge "
                "tabellerna olika nummer och rubriker."
            )
            problems.append(Problem(where, message % values, "budget_table_twice"))
        seen |= keys
    return problems


def _read(data: Any) -> list[tuple[dict[str, Any], Any, Any]]:
    try:
        return read_budget_data(data)
    except BudgetLoadError as error:
        raise refused(error.problems) from error


def table_problems(data: Any) -> list[str]:
    """What ``create_tables`` would refuse in ``data`` (rights aside), writing nothing: for
    a page that shows it before the person accepts."""
    try:
        tables = read_budget_data(data)
    except BudgetLoadError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in _existing(tables)]


def create_tables(
    data: Any, *, actor: Actor, source: str, reason: str = "", draft: bool = True
) -> list[BudgetTable]:
    """Create the file's tables as ``actor`` (as drafts unless ``draft`` is False).

    Raises ``PermissionDenied`` without ``Perm.PLAN`` on a table's unit, and
    ``ValidationError`` (every problem, each with its code: the loader's ``invalid``,
    ``budget_table_exists``, ``budget_table_twice``); then nothing is written."""
    tables = _read(data)
    for spec, _roots, _rules in tables:
        require(actor, Perm.PLAN, spec["unit"])
    made, counts = [], {"tabeller": 0, "rader": 0, "belopp": 0}
    with transaction.atomic():
        # Two people accepting at once: the second waits, then finds the first's tables.
        lock_rows(Unit, (spec["unit"].pk for spec, _roots, _rules in tables))
        problems = _existing(tables)
        if problems:
            raise refused(problems)
        for spec, roots, rules in tables:
            spec = {**spec, "source": spec["source"] or source}
            if draft:
                spec["status"] = BudgetTable.Status.UTKAST
            table = write_table(spec, roots, rules, counts)
            made.append(table)
            record(
                actor=actor,
                action="budget.load",
                obj=table,
                after={"fil": source, "status": table.status, **table_counts(table)},
                reason=reason,
            )
    return made
