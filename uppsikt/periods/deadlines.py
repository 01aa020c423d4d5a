"""Deadlines (sista dag) of a period for one unit: the organisation's, or a unit's earlier ones.

A ``UnitDeadline`` holds for its unit and every unit below it; the nearest one on the way up
to the root decides, field by field, and the period's own dates fill what none sets.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from uppsikt.organisations.models import Unit

from .models import ReportingPeriod, UnitDeadline


@dataclass(frozen=True)
class Deadlines:
    report_by: datetime.date | None
    review_by: datetime.date | None
    # The unit whose own deadline decided (None: the organisation's).
    set_on: Unit | None = None


def _resolve(period: ReportingPeriod, chain: list[int], own: dict[int, UnitDeadline]) -> Deadlines:
    """Walk ``chain`` (a unit and its ancestors, nearest first) from the root down."""
    report_by, review_by, set_on = period.report_by, period.review_by, None
    for unit_id in reversed(chain):  # root first, so the nearest overrides last
        d = own.get(unit_id)
        if d is None:
            continue
        if d.report_by is not None:
            report_by, set_on = d.report_by, d.unit
        if d.review_by is not None:
            review_by, set_on = d.review_by, d.unit
    return Deadlines(report_by, review_by, set_on)


def _chain(parents: Mapping[int, int | None], unit_id: int) -> list[int]:
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def deadlines_by_unit(period: ReportingPeriod, units: list[Unit]) -> dict[int, Deadlines]:
    """The deadlines that hold for each of ``units`` in ``period``, by unit id."""
    own = {d.unit_id: d for d in UnitDeadline.objects.filter(period=period).select_related("unit")}
    if not own:
        return {unit.pk: Deadlines(period.report_by, period.review_by) for unit in units}
    parents = dict(
        Unit.objects.filter(organisation_id=period.organisation_id).values_list("pk", "parent_id")
    )
    return {unit.pk: _resolve(period, _chain(parents, unit.pk), own) for unit in units}


def deadlines_for(period: ReportingPeriod, unit: Unit | None) -> Deadlines:
    """The deadlines that hold for ``unit`` in ``period`` (the organisation's for None)."""
    if unit is None:
        return Deadlines(period.report_by, period.review_by)
    return deadlines_by_unit(period, [unit])[unit.pk]
