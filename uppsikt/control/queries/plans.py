"""The plan table of a unit and year, and the rows of risks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from uppsikt.organisations.models import Organisation, Unit

from .. import visibility
from ..models import (
    ControlPlan,
    Decision,
    Measure,
    Risk,
    RiskAssessment,
    scale_for,
)
from ..scale import Level, Scale
from ..units import plan_risk_filter


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
    # The krav the risk's plan says all its risks concern, when it does not say it per risk.
    plan_requirements: list[str] = field(default_factory=list)

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
                plan_requirements=list(risk.control_plan.requirements),
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


def organisation_risks(organisation: Organisation, year: int, *, user=None) -> QuerySet[Risk]:
    """Every risk of the organisation's plans for ``year`` (a region-wide risk once)."""
    risks = Risk.objects.filter(
        control_plan__unit__organisation=organisation, control_plan__year=year
    )
    if user is not None:
        risks = risks.filter(pk__in=visibility.risks(user).values("pk"))
    return risks


def years(organisation: Organisation, *, user=None) -> list[int]:
    """The years of the organisation's plans (that ``user`` may read), newest first."""
    plans = ControlPlan.objects.filter(unit__organisation=organisation)
    if user is not None:
        plans = plans.filter(pk__in=visibility.control_plans(user).values("pk"))
    return sorted(set(plans.values_list("year", flat=True)), reverse=True)
