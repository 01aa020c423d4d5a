"""ISK-bedömningar and the samlad bedömning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod

from .. import visibility
from ..models import (
    ControlAssessment,
    Sufficiency,
)
from ..rules import Proposal, propose_overall
from ..units import assessing_units, region_owner


@dataclass
class IskRow:
    unit: Unit
    level: str
    motivation: str
    decided_by: str
    decided_at: datetime | None
    is_example: bool
    proposed_level: str | None = None
    basis: list = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(Sufficiency(self.level).label)

    @property
    def proposed_label(self) -> str:
        return str(Sufficiency(self.proposed_level).label) if self.proposed_level else ""


def _isk_row(assessment: ControlAssessment) -> IskRow:
    by = assessment.decided_by
    return IskRow(
        unit=assessment.unit,
        level=assessment.level,
        motivation=assessment.motivation,
        decided_by=(by.get_full_name() or by.get_username()) if by else "",
        decided_at=assessment.decided_at,
        is_example=assessment.is_example,
        proposed_level=assessment.proposed_level,
        basis=list(assessment.basis),
    )


def _assessments(user) -> QuerySet[ControlAssessment]:
    base = ControlAssessment.objects.select_related("unit", "decided_by")
    if user is None:
        return base
    return base.filter(pk__in=visibility.control_assessments(user).values("pk"))


def unit_assessment(unit: Unit, period: ReportingPeriod, *, user=None) -> IskRow | None:
    found = _assessments(user).filter(unit=unit, period=period, kind=ControlAssessment.Kind.UNIT)
    assessment = found.first()
    return _isk_row(assessment) if assessment else None


@dataclass
class OverallAssessment:
    organisation: Organisation
    period: ReportingPeriod
    owner: Unit | None
    units: list[tuple[Unit, IskRow | None]]  # expected units, then any others that judged
    proposal: Proposal
    confirmed: IskRow | None

    @property
    def basis_changed(self) -> bool:
        """Whether the units' bedömningar changed after the samlad bedömning was confirmed."""
        if self.confirmed is None:
            return False
        now = sorted((row.unit.pk, row.level) for _unit, row in self.units if row)
        then = sorted((item["unit_id"], item["level"]) for item in self.confirmed.basis)
        return now != then


def overall_assessment(
    organisation: Organisation, period: ReportingPeriod, *, user=None
) -> OverallAssessment:
    expected = list(assessing_units(organisation))
    judged = {
        a.unit_id: _isk_row(a)
        for a in _assessments(user).filter(
            period=period, kind=ControlAssessment.Kind.UNIT, unit__organisation=organisation
        )
    }
    proposal = propose_overall(
        [unit.pk for unit in expected], {uid: row.level for uid, row in judged.items()}
    )
    units = [(unit, judged.get(unit.pk)) for unit in expected]
    units += [(row.unit, row) for uid, row in judged.items() if uid not in {u.pk for u in expected}]
    owner = region_owner(organisation)
    confirmed = None
    if owner is not None:
        found = _assessments(user).filter(
            unit=owner, period=period, kind=ControlAssessment.Kind.OVERALL
        )
        first = found.first()
        confirmed = _isk_row(first) if first is not None else None
    return OverallAssessment(organisation, period, owner, units, proposal, confirmed)


def year_end_period(organisation: Organisation | int, year: int) -> ReportingPeriod | None:
    """The period of the year's ISK-bedömning: the verksamhetsberättelse, else årsredovisning."""
    periods = ReportingPeriod.objects.filter(
        organisation=organisation,
        year=year,
        kind__in=[ReportingPeriod.Kind.VERKSAMHETSBERATTELSE, ReportingPeriod.Kind.ARSREDOVISNING],
    ).order_by("kind", "-ends_on")
    return (
        periods.filter(kind=ReportingPeriod.Kind.VERKSAMHETSBERATTELSE).first() or periods.first()
    )
