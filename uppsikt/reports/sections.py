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

Apps also say how their followed-up objects are counted in the inledning ("16 åtgärder",
``register_kind``) and which status words the legend explains (``register_legend``, which
adds the symbols to ``document.SYMBOLS``).

``per_unit`` builders run for the report's unit and again for each unit beneath it (in
that unit's chapter); the others (``per_unit=False``) run once, for the report's unit. The
order places a builder's sections: 10 inledning, 20 vision och värdegrund, 30 mål, 40
budget, 50 intern kontroll, 80 the chapters of the units beneath, 90 om rapporten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import TextChoices

from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.scope import Item
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.document import PlanDocument
from uppsikt.plans.models import Plan

from .document import SYMBOLS, Section

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    label: StrOrPromise  # shown in progress messages, e.g. "Budget"


_SECTIONS: dict[str, Registered] = {}


def register(
    name: str,
    builder: Builder,
    *,
    order: int,
    per_unit: bool = True,
    label: StrOrPromise = "",
) -> None:
    """Add (or replace) the section builder called ``name``."""
    _SECTIONS[name] = Registered(name, builder, order, per_unit, label or name)


def registered() -> list[Registered]:
    return sorted(_SECTIONS.values(), key=lambda entry: (entry.order, entry.name))


# -- How each kind of followed-up object is counted, and the legend of statuses ------------

_KIND_WORDS: dict[str, Callable[[int], str]] = {}


def register_kind(model_label: str, words: Callable[[int], str]) -> None:
    """How the inledning counts items of ``model_label``: ``words(n)`` is a Swedish phrase
    with ``%(n)s`` (``lambda n: ngettext("%(n)s åtgärd", "%(n)s åtgärder", n)``)."""
    _KIND_WORDS[model_label.lower()] = words


def count_words(model_label: str, count: int) -> str | None:
    """ "3 mål", "16 åtgärder"; None for a kind nobody registered."""
    words = _KIND_WORDS.get(model_label.lower())
    return None if words is None else words(count) % {"n": count}


@dataclass(frozen=True)
class LegendGroup:
    group: Any  # "Mål", "Uppdrag, aktiviteter och åtgärder"
    # a TextChoices class, or per organisation a callable giving [(value, label, symbol)]
    # (a goal's assessment: the steps of the organisation's own scale)
    choices: Any
    order: int

    def rows(self, organisation_id: int | None) -> list[tuple[str, str, str]]:
        """(value, label, symbol) the legend explains for the report's organisation."""
        if isinstance(self.choices, type) and issubclass(self.choices, TextChoices):
            return [
                (value, str(label), SYMBOLS[value][0])
                for value, label in self.choices.choices
                if value in SYMBOLS
            ]
        return list(self.choices(organisation_id))


_LEGEND: dict[str, LegendGroup] = {}


def register_legend(
    name: str,
    group,
    choices,
    *,
    order: int,
    symbols: dict[str, tuple[str, str]] | None = None,
) -> None:
    """Explain ``choices``' symbols in the report's legend under ``group``.

    ``symbols`` maps a status value to its (symbol, tone) for values the document does not
    know yet; a status is always shown as a word and a symbol, never by colour alone.
    """
    for value, shown in (symbols or {}).items():
        SYMBOLS.setdefault(value, shown)
    _LEGEND[name] = LegendGroup(group, choices, order)


def legend() -> list[LegendGroup]:
    return sorted(_LEGEND.values(), key=lambda entry: entry.order)
