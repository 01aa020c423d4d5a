"""Report sections: a registry each app adds its part of the report to.

A builder takes the ``ReportContext`` (everything read for the report, once) and a unit,
and returns the ``Section``s it contributes for that unit::

    from uppsikt.reports import sections

    def control_sections(ctx, unit):
        plan = queries.control_plan_for(unit, ctx.period.year)
        if plan is None:
            return []
        return [Section(_("Intern styrning och kontroll"), blocks=[...])]

    sections.register("control", control_sections, order=50)

``per_unit`` builders run for the report's unit and again for each unit beneath it (in
that unit's chapter); the others (``per_unit=False``) run once, for the report's unit. The
order places a builder's sections: 10 inledning, 20 vision och värdegrund, 30 mål, 40
budget, 50 intern kontroll, 80 the chapters of the units beneath, 90 om rapporten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uppsikt.followup.models import FollowUp, ReportingPeriod, UnitReport
from uppsikt.followup.scope import Item
from uppsikt.organisations.models import Unit
from uppsikt.plans.document import PlanDocument
from uppsikt.plans.models import Plan

from .document import Section

SUBUNITS_ORDER = 80


@dataclass
class ReportContext:
    """What a report is made of, read once and shared by every section builder."""

    unit: Unit
    period: ReportingPeriod
    user: Any
    units: list[Unit]  # the report's unit first, then the units beneath it with content
    items: dict[int, list[Item]]  # unit id → items in scope
    entries: dict[tuple, FollowUp]  # Item.key → entry
    reports: dict[int, UnitReport]  # unit id → the unit's report (missing: none yet)
    plans: dict[int, Plan | None] = field(default_factory=dict)
    documents: dict[int, PlanDocument] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)  # what example data is shown

    def entry(self, item: Item) -> FollowUp | None:
        return self.entries.get(item.key)

    def example(self, what: str) -> None:
        """Note that example data of the kind ``what`` is shown, for the cover and appendix."""
        if what not in self.examples:
            self.examples.append(what)

    def heading_unit(self, unit: Unit) -> bool:
        """Whether ``unit`` is the report's own unit (not one beneath it)."""
        return unit.pk == self.unit.pk


Builder = Callable[..., list[Section]]


@dataclass(frozen=True)
class Registered:
    name: str
    builder: Builder
    order: int
    per_unit: bool
    label: str  # shown in progress messages, e.g. "Budget"


_SECTIONS: dict[str, Registered] = {}


def register(
    name: str, builder: Builder, *, order: int, per_unit: bool = True, label: str = ""
) -> None:
    """Add (or replace) the section builder called ``name``."""
    _SECTIONS[name] = Registered(name, builder, order, per_unit, label or name)


def registered() -> list[Registered]:
    return sorted(_SECTIONS.values(), key=lambda entry: (entry.order, entry.name))
