"""A person's tasks as pages show them: each with its deadline in words, grouped by kind,
filtered by kind and lateness (``views``; the start page uses ``rows`` too)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .registry import KINDS, Task, tasks_for, today


@dataclass(frozen=True)
class Row:
    task: Task
    overdue: bool
    when: str  # "om 3 dagar", "i dag", "2 dagar sedan", "" without a deadline


def when(due: datetime.date | None, on: datetime.date) -> str:
    if due is None:
        return ""
    days = (due - on).days
    if days == 0:
        return _("i dag")
    if days > 0:
        return ngettext("om %(n)d dag", "om %(n)d dagar", days) % {"n": days}
    return ngettext("%(n)d dag sedan", "%(n)d dagar sedan", -days) % {"n": -days}


def rows(user, on: datetime.date | None = None) -> list[Row]:
    """``user``'s tasks in ``tasks_for``'s order (overdue first), ready to show."""
    on = on or today()
    return [Row(task, task.is_overdue(on), when(task.due, on)) for task in tasks_for(user, on)]


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    rows: list[Row]


def grouped(found: list[Row]) -> list[Group]:
    """``found`` by kind, in ``KINDS``' order; each group keeps the rows' order."""
    groups = []
    for kind, label in KINDS.items():
        members = [row for row in found if row.task.kind == kind]
        if members:
            groups.append(Group(kind, str(label), members))
    others = [row for row in found if row.task.kind not in KINDS]
    if others:
        groups.append(Group("other", _("Övrigt"), others))
    return groups


def filtered(found: list[Row], kind: str, late_only: bool) -> list[Row]:
    return [
        row
        for row in found
        if (not kind or row.task.kind == kind) and (row.overdue or not late_only)
    ]
