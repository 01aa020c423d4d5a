"""Plain read functions for pages, exports and reports: simple data, a fixed number of queries.

For the reports (delårsrapport, verksamhetsberättelse, årsredovisning):

- ``plan_table(unit, year, user=...)`` — the unit's internkontrollplan: areas → risks →
  åtgärder, with each risk's assessment for the year (a nämnd's plan includes the region's
  region-wide risks);
- ``unit_followup(unit, period, user=...)`` — per åtgärd the unit's status, comment and
  avvikelser in the period;
- ``unit_assessment(unit, period)`` — the unit's ISK-bedömning;
- ``overall_assessment(organisation, period)`` — the units' bedömningar side by side, the
  proposed samlad bedömning and regionstyrelsens confirmed one.

``user`` limits the result to what that user may read (``visibility.py``); ``None`` reads
everything, for code that has checked access itself (a report job acting as its starter
should pass ``run.user``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from uppsikt.followup.models import FollowUp, ReportingPeriod
from uppsikt.followup.statuses import WorkStatus
from uppsikt.followup.text import comment_as_text
from uppsikt.organisations.models import Organisation, Unit

from . import visibility
from .models import (
    ControlAssessment,
    ControlPlan,
    Decision,
    Deviation,
    Measure,
    Risk,
    RiskAssessment,
    Sufficiency,
)
from .rules import Proposal, propose_overall
from .scale import Level, Scale, scale_for
from .units import assessing_units, plan_risk_filter, region_owner


@dataclass
class MeasureRow:
    pk: int
    text: str
    responsible: str
    control_method: str
    frequency: str
    reported_in: list[str]
    reported_in_labels: list[str]


@dataclass
class RiskRow:
    pk: int
    area: str
    text: str
    requirements: list[str]
    requirement_labels: list[str]
    is_region_wide: bool
    unit: Unit  # the unit owning the risk (regionstyrelsen for region-wide risks)
    year: int
    likelihood: int | None
    consequence: int | None
    score: int | None
    level: Level | None
    decision: str | None
    motivation: str
    is_example: bool
    note: str = ""
    area_position: int = 0
    position: int = 0
    likelihood_label: str = ""
    consequence_label: str = ""
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(self.level.label) if self.level else ""

    @property
    def decision_label(self) -> str:
        return str(Decision(self.decision).label) if self.decision else ""

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("control:risk", args=[self.pk])


@dataclass
class AreaRow:
    name: str
    risks: list[RiskRow]

    @property
    def row_count(self) -> int:
        """Table rows the area spans in the seed's layout (one per åtgärd, at least one per risk)."""
        return sum(max(1, len(risk.measures)) for risk in self.risks)


@dataclass
class PlanTable:
    unit: Unit
    year: int
    scale: Scale
    areas: list[AreaRow]
    control_plan: object | None = None

    @property
    def risks(self) -> list[RiskRow]:
        return [risk for area in self.areas for risk in area.risks]

    @property
    def has_examples(self) -> bool:
        return any(risk.is_example for risk in self.risks)

    @property
    def measure_count(self) -> int:
        return sum(len(risk.measures) for risk in self.risks)


def _measure_row(measure: Measure) -> MeasureRow:
    return MeasureRow(
        pk=measure.pk,
        text=measure.text,
        responsible=measure.responsible,
        control_method=measure.control_method,
        frequency=measure.frequency,
        reported_in=list(measure.reported_in),
        reported_in_labels=measure.reported_in_labels(),
    )


def risk_rows(risks: QuerySet[Risk], year_of=None, scale: Scale | None = None) -> list[RiskRow]:
    """``RiskRow``s for ``risks``, each with its assessment of its plan's year."""
    risks = risks.select_related("area", "control_plan__unit__organisation").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("position", "pk")),
        Prefetch("assessments", queryset=RiskAssessment.objects.order_by("year")),
    )
    scales: dict[int, Scale] = {}
    rows = []
    for risk in risks:
        org_id = risk.control_plan.unit.organisation_id
        if scale is not None:
            scales[org_id] = scale
        elif org_id not in scales:
            scales[org_id] = scale_for(org_id)
        row_scale = scales[org_id]
        year = year_of or risk.control_plan.year
        assessment = next((a for a in risk.assessments.all() if a.year == year), None)
        likelihood = assessment.likelihood if assessment else None
        consequence = assessment.consequence if assessment else None
        score = assessment.score if assessment else None
        rows.append(
            RiskRow(
                pk=risk.pk,
                area=risk.area.name,
                text=risk.text,
                requirements=list(risk.requirements),
                requirement_labels=risk.requirement_labels(),
                is_region_wide=risk.is_region_wide,
                unit=risk.control_plan.unit,
                year=risk.control_plan.year,
                likelihood=likelihood,
                consequence=consequence,
                score=score,
                level=row_scale.level(score),
                decision=assessment.decision if assessment else None,
                motivation=assessment.motivation if assessment else "",
                is_example=bool(assessment and assessment.is_example),
                note=risk.note,
                area_position=risk.area.position,
                position=risk.position,
                likelihood_label=_label(row_scale.likelihood_labels, likelihood),
                consequence_label=_label(row_scale.consequence_labels, consequence),
                measures=[_measure_row(m) for m in risk.measures.all()],
            )
        )
    return rows


def _label(labels: tuple[str, ...], step: int | None) -> str:
    if step is None or not 1 <= step <= len(labels):
        return ""
    return labels[step - 1]


def _risks_for(unit: Unit, year: int, user) -> QuerySet[Risk]:
    risks = Risk.objects.filter(plan_risk_filter(unit, year))
    if user is not None:
        risks = risks.filter(pk__in=visibility.risks(user).values("pk"))
    return risks


def plan_table(unit: Unit, year: int, *, user=None) -> PlanTable:
    """The unit's internkontrollplan for ``year`` laid out as areas → risks → åtgärder.

    In a nämnd's plan the region's risks come first (in the region's order), then its own;
    areas of the same name are one area.
    """
    scale = scale_for(unit.organisation_id)
    rows = risk_rows(_risks_for(unit, year, user), scale=scale)
    rows.sort(key=lambda r: (r.unit.pk == unit.pk, r.area_position, r.position, r.pk))
    areas: dict[str, AreaRow] = {}
    for row in rows:
        areas.setdefault(row.area, AreaRow(row.area, [])).risks.append(row)
    return PlanTable(
        unit=unit,
        year=year,
        scale=scale,
        areas=list(areas.values()),
        control_plan=ControlPlan.objects.filter(unit=unit, year=year).first(),
    )


# -- follow-up -----------------------------------------------------------------------------


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


# -- ISK-bedömning ---------------------------------------------------------------------------


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
        confirmed = _isk_row(found.first()) if found.exists() else None
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


def organisation_risks(organisation: Organisation, year: int, *, user=None) -> QuerySet[Risk]:
    """Every risk of the organisation's plans for ``year`` (a region-wide risk once)."""
    risks = Risk.objects.filter(
        control_plan__unit__organisation=organisation, control_plan__year=year
    )
    if user is not None:
        risks = risks.filter(pk__in=visibility.risks(user).values("pk"))
    return risks


def years(organisation: Organisation) -> list[int]:
    return sorted(
        set(
            ControlPlan.objects.filter(unit__organisation=organisation).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )


__all__ = [
    "AreaRow",
    "IskRow",
    "MeasureFollowUp",
    "OverallAssessment",
    "PlanTable",
    "RiskRow",
    "UnitFollowUp",
    "organisation_risks",
    "overall_assessment",
    "plan_table",
    "risk_followups",
    "unit_assessment",
    "unit_followup",
    "year_end_period",
]
