"""What a unit follows up in a period: a registry of providers, one per app.

Each app that owns followed-up objects registers a provider from its AppConfig's ``ready``::

    from uppsikt.followup import scope

    def control_items(unit, period):
        for measure in queries.measures_for(unit, period.year):
            yield scope.Item(target=measure, unit=unit, kind_label="Åtgärd",
                             title=measure.text, group="Internkontrollplan",
                             order=(50, measure.position))

    scope.register("control", control_items)

``in_scope(unit, period)`` asks every provider and returns the items in report order
(``Item.order``). The follow-up form, the submit rule ("every entry in scope is klar"), the
dashboard and the reports all read the scope from here, so an app plugs in once.

Order keys are tuples; their first element places the provider's block in the document:
10 the plan (goals, uppdrag, aktiviteter), 40 budget, 50 internal control.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod


@dataclass
class Item:
    """One object a unit follows up in a period."""

    target: Any
    unit: Unit
    kind_label: str  # "Effektmål 1", "Uppdrag", "Aktivitet", "Budgettabell"
    title: str
    group: str  # the heading it stands under in the form, e.g. "3.1 Perspektiv: Process"
    order: tuple = ()
    subgroup: str = ""  # e.g. "3.2.1 Strategi: Kvalitet och utveckling"
    # Anything the owning app needs again; ``extra["link"] = (url, text)`` is shown in the
    # follow-up form as a link to the app's own page (an åtgärd's avvikelser, say).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.target._meta.label_lower

    @property
    def key(self) -> tuple[int, int, int]:
        """(content type id, object id, unit id): how the item's entry is found."""
        content_type = ContentType.objects.get_for_model(self.target)
        return (content_type.pk, self.target.pk, self.unit.pk)

    @property
    def html_id(self) -> str:
        return f"{self.target._meta.model_name}-{self.target.pk}"


Provider = Callable[[Unit, ReportingPeriod], Iterable[Item]]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the provider called ``name``."""
    _PROVIDERS[name] = provider


def providers() -> list[str]:
    return sorted(_PROVIDERS)


def in_scope(unit: Unit, period: ReportingPeriod) -> list[Item]:
    """Every item ``unit`` follows up in ``period``, in report order."""
    items: list[Item] = []
    for name in sorted(_PROVIDERS):
        items.extend(_PROVIDERS[name](unit, period))
    return sorted(items, key=lambda item: item.order)


def unit_tree(organisation_id: int, below: Unit | None = None) -> list[tuple[Unit, int]]:
    """``(unit, depth)`` in tree order (parents first, siblings by position).

    With ``below``, only the units beneath it (depth counted from its children, 0).
    """
    children: dict[int | None, list[Unit]] = {}
    for unit in Unit.objects.filter(organisation_id=organisation_id):
        children.setdefault(unit.parent_id, []).append(unit)
    result: list[tuple[Unit, int]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.position, u.name)):
            result.append((unit, depth))
            visit(unit.pk, depth + 1)

    visit(below.pk if below is not None else None, 0)
    return result


def units_with_scope(period: ReportingPeriod) -> list[tuple[Unit, int, list[Item]]]:
    """Every unit of the period's organisation that has something in scope, in tree order:
    ``(unit, depth, items)``, for the dashboard."""
    result = []
    for unit, depth in unit_tree(period.organisation_id):
        items = in_scope(unit, period)
        if items:
            result.append((unit, depth, items))
    return result
