"""Follow-up of åtgärder: per unit and period, and side by side per risk."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from uppsikt.followup.models import FollowUp
from uppsikt.followup.statuses import WorkStatus
from uppsikt.followup.text import comment_as_text
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .. import visibility
from ..models import (
    Deviation,
    Measure,
)
from .plans import MeasureRow, RiskRow, plan_table


@dataclass
class DeviationRow:
    pk: int
    found: str
    handling: str
    is_example: bool


@dataclass
class MeasureFollowUp:
    area: str
    risk: RiskRow
    measure: MeasureRow
    unit: Unit
    followup_id: int | None = None
    status: str = ""
    comment: str = ""  # sanitised HTML, safe to show
    state: str = ""
    is_example: bool = False
    written_at: datetime | None = None
    deviations: list[DeviationRow] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(WorkStatus(self.status).label) if self.status else ""

    @property
    def state_label(self) -> str:
        return str(FollowUp.State(self.state).label) if self.state else ""

    @property
    def comment_text(self) -> str:
        return comment_as_text(self.comment)


@dataclass
class UnitFollowUp:
    unit: Unit
    period: ReportingPeriod
    rows: list[MeasureFollowUp]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for every WorkStatus, then the åtgärder not followed up."""
        counts = Counter(row.status for row in self.rows)
        out = [(value, str(label), counts.get(value, 0)) for value, label in WorkStatus.choices]
        out.append(("", _("Inte uppföljd"), counts.get("", 0)))
        return out

    @property
    def deviation_count(self) -> int:
        return sum(len(row.deviations) for row in self.rows)


def followup_periods(measures, organisation, year: int) -> list[ReportingPeriod]:
    """The organisation's reporting periods of ``year`` in which any of ``measures`` (a
    queryset of ``Measure``) is followed up, in date order.

    An åtgärd is followed up in the kinds of period it names in ``reported_in`` (every period
    when it names none), so a plan reported in the delårsrapport and the
    verksamhetsberättelse is not listed under the monthly periodrapporter.
    """
    periods = list(
        ReportingPeriod.objects.filter(organisation=organisation, year=year).order_by("ends_on")
    )
    kinds: set[str] = set()
    for reported_in in measures.values_list("reported_in", flat=True):
        if not reported_in:
            return periods
        kinds.update(reported_in)
    return [period for period in periods if period.kind in kinds]


def reported_in_period(measure: MeasureRow, period: ReportingPeriod) -> bool:
    """An åtgärd is reported in the periods it names, or in every one when it names none."""
    return not measure.reported_in or period.kind in measure.reported_in


def _entries(measure_ids: list[int], period: ReportingPeriod, units: list[Unit], user):
    entries = FollowUp.objects.filter(
        period=period,
        content_type=ContentType.objects.get_for_model(Measure),
        object_id__in=measure_ids,
        unit__in=units,
    ).prefetch_related(
        Prefetch("deviations", queryset=Deviation.objects.order_by("position", "pk"))
    )
    if user is not None:
        entries = entries.filter(pk__in=visibility.followups(user).values("pk"))
    return {(entry.object_id, entry.unit_id): entry for entry in entries}


def _fill(row: MeasureFollowUp, entry: FollowUp | None) -> MeasureFollowUp:
    if entry is not None:
        row.followup_id = entry.pk
        row.status, row.comment, row.state = entry.status, entry.comment, entry.state
        row.is_example, row.written_at = entry.is_example, entry.written_at
        row.deviations = [
            DeviationRow(d.pk, d.found, d.handling, d.is_example) for d in entry.deviations.all()
        ]
    return row


def followup_statuses(
    measure_ids: list[int], period: ReportingPeriod, *, user=None, unit: Unit | None = None
) -> dict[int, set[str]]:
    """Per åtgärd, the statuses it has been given in ``period`` (by ``unit``, or any unit)."""
    entries = FollowUp.objects.filter(
        period=period,
        content_type=ContentType.objects.get_for_model(Measure),
        object_id__in=measure_ids,
    ).exclude(status="")
    if unit is not None:
        entries = entries.filter(unit=unit)
    if user is not None:
        entries = entries.filter(pk__in=visibility.followups(user).values("pk"))
    statuses: dict[int, set[str]] = {measure_id: set() for measure_id in measure_ids}
    for object_id, status in entries.values_list("object_id", "status"):
        statuses[object_id].add(status)
    return statuses


def unit_followup(unit: Unit, period: ReportingPeriod, *, user=None) -> UnitFollowUp:
    """The unit's follow-up of every åtgärd in its plan reported in ``period``."""
    table = plan_table(unit, period.year, user=user)
    pairs = [
        (area.name, risk, measure)
        for area in table.areas
        for risk in area.risks
        for measure in risk.measures
        if reported_in_period(measure, period)
    ]
    entries = _entries([m.pk for _a, _r, m in pairs], period, [unit], user)
    rows = [
        _fill(MeasureFollowUp(area, risk, measure, unit), entries.get((measure.pk, unit.pk)))
        for area, risk, measure in pairs
    ]
    return UnitFollowUp(unit=unit, period=period, rows=rows)


def risk_followups(risk: RiskRow, period: ReportingPeriod, units: list[Unit], *, user=None):
    """For each åtgärd of ``risk``, every reporting unit's follow-up side by side."""
    entries = _entries([m.pk for m in risk.measures], period, units, user)
    return [
        (
            measure,
            [
                _fill(
                    MeasureFollowUp(risk.area, risk, measure, unit),
                    entries.get((measure.pk, unit.pk)),
                )
                for unit in units
            ],
        )
        for measure in risk.measures
    ]
