"""Att göra from internal control: åtgärder to follow up (``uppsikt.tasks.registry``).

An åtgärd has no date of its own; it is followed up in the periods it is reported in
(``Measure.reported_in``, every period when none), so its task is due on the unit's
``report_by`` of each open period (``periods.deadlines``). Key
``control.measure:<period>:<unit>:<åtgärd>``; the link opens the åtgärd's own follow-up
form (with its avvikelser).

Whose it is: the responsible person of the åtgärd's entry, or, while nobody is, the
people who write the unit's follow-up (``tasks.people.writing_units``). The unit is the
one owning the risk, or every nämnd for a region-wide risk (``units.reporting_units``).
Gone once the entry is klar or the unit's report is submitted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from uppsikt.followup.actions.entries import LOCKED_REPORT_STATES
from uppsikt.followup.models import FollowUp, UnitReport
from uppsikt.followup.todo import deadlines_of, open_periods
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.tasks import people
from uppsikt.tasks.registry import Task

from .models import Measure
from .units import NAMND_KINDS


def _reporting(measure: Measure, units: dict[int, Unit], organisation_id: int) -> list[Unit]:
    owner = measure.risk.control_plan.unit
    if measure.risk.is_region_wide:
        return [
            unit
            for unit in units.values()
            if unit.organisation_id == organisation_id and unit.kind in NAMND_KINDS
        ]
    return [units[owner.pk]] if owner.pk in units else []


def _reported(
    periods: list[ReportingPeriod], units: dict[int, Unit]
) -> list[tuple[ReportingPeriod, Measure, Unit]]:
    """(period, åtgärd, unit) for every åtgärd one of ``units`` follows up in one of
    ``periods`` (as ``scope.control_items`` decides it, for many units in one query)."""
    if not periods or not units:
        return []
    measures = Measure.objects.filter(
        risk__control_plan__unit__organisation_id__in={p.organisation_id for p in periods},
        risk__control_plan__year__in={p.year for p in periods},
    ).select_related("risk__control_plan__unit")
    found = []
    for measure in measures:
        plan = measure.risk.control_plan
        for period in periods:
            if plan.year != period.year or plan.unit.organisation_id != period.organisation_id:
                continue
            if measure.reported_in and period.kind not in measure.reported_in:
                continue
            for unit in _reporting(measure, units, period.organisation_id):
                found.append((period, measure, unit))
    return found


def control_work(periods: list[ReportingPeriod], unit_ids: set[int]) -> set[tuple[int, int]]:
    """For the unit's report in Att göra (``followup.todo.work_finders``): the units with
    an åtgärd to follow up in each period."""
    units = Unit.objects.in_bulk(unit_ids)
    return {(period.pk, unit.pk) for period, _measure, unit in _reported(periods, units)}


def _candidates(
    user, periods: list[ReportingPeriod]
) -> list[tuple[ReportingPeriod, Measure, Unit]]:
    """(period, åtgärd, unit) of the units ``user`` writes for, and of the entries of
    åtgärder assigned to ``user``."""
    mine = people.writing_units(user)
    content_type = ContentType.objects.get_for_model(Measure)
    assigned = set(
        FollowUp.objects.filter(
            period__in=periods, content_type=content_type, responsible_id=user.pk
        ).values_list("unit_id", flat=True)
    )
    return _reported(periods, Unit.objects.in_bulk(mine | assigned))


def measures_due(user, today: datetime.date) -> Iterator[Task]:
    periods = open_periods(user, today)
    if not periods:
        return
    candidates = _candidates(user, periods)
    if not candidates:
        return
    content_type = ContentType.objects.get_for_model(Measure)
    unit_ids = {unit.pk for _p, _m, unit in candidates}
    entries = {
        (entry.period_id, entry.object_id, entry.unit_id): entry
        for entry in FollowUp.objects.filter(
            period__in=periods,
            content_type=content_type,
            object_id__in={measure.pk for _p, measure, _u in candidates},
            unit_id__in=unit_ids,
        )
    }
    locked = set(
        UnitReport.objects.filter(
            period__in=periods, unit_id__in=unit_ids, state__in=LOCKED_REPORT_STATES
        ).values_list("period_id", "unit_id")
    )
    mine = people.writing_units(user)
    deadlines = deadlines_of(periods, {unit.pk: unit for _p, _m, unit in candidates})
    for period, measure, unit in candidates:
        entry = entries.get((period.pk, measure.pk, unit.pk))
        if (period.pk, unit.pk) in locked:
            continue
        if entry is not None and entry.state != FollowUp.State.UTKAST:
            continue
        responsible = entry.responsible_id if entry is not None else None
        if responsible != user.pk and not (responsible is None and unit.pk in mine):
            continue
        yield Task(
            key=f"control.measure:{period.pk}:{unit.pk}:{measure.pk}",
            kind="measure",
            title=str(measure),
            url=reverse("control:measure_followup", args=[measure.pk, period.pk, unit.slug]),
            due=deadlines[(period.pk, unit.pk)].report_by,
            unit_name=unit.name,
            detail=period.name,
            organisation_id=period.organisation_id,
        )
