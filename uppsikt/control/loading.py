"""Internkontrollplaner from a data file (format ``uppsikt-internkontroll/1``) written as a
person, never over an existing plan: the variant of ``datafile.load_control_data`` for
accepting a plan document's proposal (``proposals.actions.accept``). It lives beside the
loader, not in ``actions``: the loader's import (``importing``) uses ``actions``, and the
app's modules may not import each other in a circle.

The file is read and validated by the loader's own checks (``datafile.read_plans``, then
``importing.import_rows`` per plan, which also checks ``Perm.PLAN``); before that the
person's right to write plans for each unit is checked, and a unit that already has an
internkontrollplan for the year is refused rather than replaced. Everything is refused at
once and nothing is written; the audit events (``control.plan.create``,
``control.plan.import``) are the person's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.lib.concurrency import lock_rows
from uppsikt.lib.problems import Problem
from uppsikt.lib.typing import Actor
from uppsikt.organisations.models import Unit

from .datafile import import_plans, read_plans
from .importing import ImportRejected
from .models import ControlPlan


def refused(problems: list[Problem]) -> ValidationError:
    """The refusal: one message per problem, each with its machine code."""
    return ValidationError(
        [ValidationError(str(problem), code=problem.code) for problem in problems]
    )


def _existing(plans: list[tuple[Any, int, dict[str, Any], Any]]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    for index, (unit, year, options, _rows) in enumerate(plans):
        where = f"plans[{index}]"
        values = {"unit": unit, "year": year, "section": options["section_number"]}
        name = (
            _("Internkontrollplanen (avsnitt %(section)s)") if options["section_number"]
            else _("Internkontrollplanen")
        ) % values  # fmt: skip
        if ControlPlan.objects.filter(unit=unit, year=year).exists():
            message = _(
                "%(name)s: %(unit)s har redan en internkontrollplan för %(year)s. En befintlig "
                "internkontrollplan skrivs aldrig över; ta bort tabellen ur förslaget eller "
                "ändra den befintliga planen."
            )
            problems.append(
                Problem(where, message % {**values, "name": name}, "control_plan_exists")
            )
        elif (unit.pk, year) in seen:
            message = _("%(name)s: filen har två planer för %(unit)s %(year)s.")
            problems.append(
                Problem(where, message % {**values, "name": name}, "control_plan_twice")
            )
        seen.add((unit.pk, year))
    return problems


def plan_problems(data: Any) -> list[str]:
    """What ``create_plans`` would refuse in the file's structure or because a plan exists
    (rights aside, and the import's own checks of the rows aside), writing nothing."""
    try:
        plans = read_plans(data)
    except ImportRejected as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in _existing(plans)]


def create_plans(data: Any, *, actor: Actor, file_name: str = "") -> dict[str, int]:
    """Create the file's internkontrollplaner as ``actor``; returns the counts.

    Raises ``PermissionDenied`` without ``Perm.PLAN`` on a plan's unit, and
    ``ValidationError`` (every problem, each with its code: the loader's ``invalid``,
    ``control_plan_exists``, ``control_plan_twice``); then nothing is written."""
    try:
        plans = read_plans(data)
    except ImportRejected as error:
        raise refused(error.problems) from error
    for unit, _year, _options, _rows in plans:
        require(actor, Perm.PLAN, unit)
    with transaction.atomic():
        # Two people accepting at once: the second waits, then finds the first's plan.
        lock_rows(Unit, (unit.pk for unit, _year, _options, _rows in plans))
        problems = _existing(plans)
        if problems:
            raise refused(problems)
        try:
            return import_plans(plans, actor=actor, file_name=file_name)
        except ImportRejected as error:
            raise refused(error.problems) from error
