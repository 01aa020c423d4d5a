"""Internal control: internkontrollplaner, risks with their assessments year by year, åtgärder.

Read as on the web (``control.visibility``): a unit's plan is published with its decided
verksamhetsplan of the same year; before that only the unit's roles read it. A nämnd's
plan also holds the region's region-wide risks; here every risk is listed once, under the
plan that owns it (``unit`` filters by owner; ``for_unit`` gives a unit's whole plan).

Writes go through ``control.actions`` (permission ``plan`` on the owning unit, the decision
rule, the scale, the audit trail): a new risk, the year's assessment of a risk, a new åtgärd.
"""

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from uppsikt.accounts.access import Perm, require, require_somewhere
from uppsikt.control import visibility
from uppsikt.control.actions.plans import (
    assess_risk,
    create_measure,
    create_risk,
    ensure_control_plan,
)
from uppsikt.control.models import (
    ControlPlan,
    Decision,
    Measure,
    Requirement,
    Risk,
    RiskAssessment,
    scale_for,
)
from uppsikt.control.units import plan_risk_filter
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .auth import allowed, caller, writer
from .errors import unknown
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, READ, WRITE, Id, OrganisationCode, PathId, Text, answers, choice

plans_router = Router(tags=["Intern kontroll"])
router = Router(tags=["Intern kontroll"])


class ControlPlanOut(Schema):
    id: int
    unit_id: int
    organisation: str
    year: int
    section_number: str = Field(description="Avsnittet i verksamhetsplanen, t.ex. 6.1.")
    source: str
    note: str
    url: str

    @staticmethod
    def resolve_organisation(obj: ControlPlan) -> str:
        return obj.unit.organisation.code

    @staticmethod
    def resolve_url(obj: ControlPlan) -> str:
        return obj.get_absolute_url()


class ControlMeasureOut(Schema):
    id: int
    risk_id: int
    text: str
    responsible: str
    control_method: str
    frequency: str
    reported_in: list[str] = Field(description="Slag av uppföljningstillfällen; tom = alla.")
    position: int


class RiskAssessmentOut(Schema):
    year: int
    likelihood: int | None
    consequence: int | None
    score: int | None = Field(description="Riskvärde = sannolikhet × konsekvens, beräknat.")
    level: str | None = Field(description="lag, medel eller hog enligt organisationens skala.")
    decision: str | None
    motivation: str
    is_example: bool
    assessed_at: datetime.datetime | None


class RiskOut(Schema):
    id: int
    control_plan_id: int
    unit_id: int = Field(description="Enheten som äger risken.")
    year: int
    area: str
    text: str
    requirements: list[str]
    is_region_wide: bool
    note: str
    position: int
    measures: list[ControlMeasureOut]
    assessments: list[RiskAssessmentOut] = Field(
        description="Bedömningarna år för år, äldst först."
    )
    url: str

    @staticmethod
    def resolve_unit_id(obj: Risk) -> int:
        return obj.control_plan.unit_id

    @staticmethod
    def resolve_year(obj: Risk) -> int:
        return obj.control_plan.year

    @staticmethod
    def resolve_area(obj: Risk) -> str:
        return obj.area.name

    @staticmethod
    def resolve_measures(obj: Risk) -> list[Measure]:
        return list(obj.measures.all())

    @staticmethod
    def resolve_assessments(obj: Risk) -> list[dict]:
        scale = scale_for(obj.control_plan.unit.organisation_id)
        return [_assessment(a, scale) for a in obj.assessments.all()]

    @staticmethod
    def resolve_url(obj: Risk) -> str:
        return obj.get_absolute_url()


def _assessment(assessment: RiskAssessment, scale) -> dict:
    level = scale.level(assessment.score)
    return {
        "year": assessment.year,
        "likelihood": assessment.likelihood,
        "consequence": assessment.consequence,
        "score": assessment.score,
        "level": level.value if level else None,
        "decision": assessment.decision,
        "motivation": assessment.motivation,
        "is_example": assessment.is_example,
        "assessed_at": assessment.assessed_at,
    }


class ControlPlanFilters(Schema):
    organisation: str | None = OrganisationCode(
        None, description="Organisationens kod, t.ex. 0018."
    )
    unit: Id | None = Field(None, description="Enhetens id.")
    year: int | None = Field(None, ge=1900, le=2200)


class RiskFilters(Schema):
    organisation: str | None = OrganisationCode(None, description="Organisationens kod.")
    unit: Id | None = Field(None, description="Enheten som äger risken.")
    for_unit: Id | None = Field(
        None,
        description="En enhets hela plan: dess egna risker och, för en nämnd, regionens "
        "regionövergripande; med year bara det årets plan.",
    )
    control_plan: Id | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    area: str | None = Text(None, max_length=200, description="Verksamhet, t.ex. Ekonomi.")
    region_wide: bool | None = None


class RiskIn(Schema):
    model_config = INPUT
    unit: Id = Field(..., description="Enheten vars internkontrollplan risken hör till.")
    year: int = Field(..., ge=1900, le=2200)
    area: str = Text(..., max_length=200, required=True, description="Verksamhet.")
    text: str = Text(..., max_length=5000, required=True)
    requirements: list[choice(Requirement)] = Field(
        default_factory=list, max_length=5, description="Kraven a–e som risken hotar."
    )
    is_region_wide: bool = False
    note: str = Text("", max_length=5000)


class RiskAssessmentIn(Schema):
    """Sannolikhet och konsekvens anges båda eller ingen av dem; ett beslut kräver båda."""

    model_config = {
        **INPUT,
        "json_schema_extra": {
            "anyOf": [
                {
                    "required": ["likelihood", "consequence"],
                    "properties": {
                        "likelihood": {"type": "integer"},
                        "consequence": {"type": "integer"},
                    },
                },
                {
                    "properties": {
                        "likelihood": {"type": "null"},
                        "consequence": {"type": "null"},
                        "decision": {"type": "null"},
                    }
                },
            ]
        },
    }
    likelihood: int | None = Field(None, ge=1, le=100, description="Sannolikhetens steg.")
    consequence: int | None = Field(None, ge=1, le=100, description="Konsekvensens steg.")
    decision: choice(Decision) | None = None
    motivation: str = Text("", max_length=5000)
    year: int | None = Field(None, ge=1900, le=2200, description="Standard: planens år.")

    @model_validator(mode="after")
    def _both_or_neither(self):
        assessed = self.likelihood is not None, self.consequence is not None
        if assessed[0] != assessed[1]:
            raise ValueError(_("Ange både sannolikhet och konsekvens, eller ingen av dem."))
        if self.decision is not None and not all(assessed):
            raise ValueError(
                _("Bedöm sannolikhet och konsekvens innan risken accepteras eller inte.")
            )
        return self


class ControlMeasureIn(Schema):
    model_config = INPUT
    text: str = Text(..., max_length=5000, required=True)
    responsible: str = Text("", max_length=200)
    control_method: str = Text("", max_length=5000)
    frequency: str = Text("", max_length=100)
    reported_in: list[choice(ReportingPeriod.Kind)] = Field(
        default_factory=list, max_length=len(ReportingPeriod.Kind)
    )


ControlPlanPage = page_of(ControlPlanOut, "ControlPlanPage")
RiskPage = page_of(RiskOut, "RiskPage")


def visible_control_plans(user):
    return visibility.control_plans(user).select_related("unit__organisation")


def visible_risks(user):
    return (
        visibility.risks(user)
        .select_related("control_plan__unit", "area")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("position", "pk")),
            Prefetch("assessments", queryset=RiskAssessment.objects.order_by("year")),
        )
    )


@plans_router.get(
    "",
    response=answers(200, ControlPlanPage),
    summary="Internkontrollplaner",
    description="Publicerade planer (enhetens verksamhetsplan är beslutad) för alla; övriga "
    "i enheter där nyckelns ägare får läsa dem.",
)
def list_control_plans(request, page: Query[PageParams], filters: Query[ControlPlanFilters]):
    queryset = visible_control_plans(caller(request)).order_by(
        "unit__organisation__code", "unit__position", "-year", "pk"
    )
    lookups = {"organisation": "unit__organisation__code", "unit": "unit_id", "year": "year"}
    return paginate(filtered(queryset, filters, lookups), page)


@plans_router.get(
    "/{plan_id}", response=answers(200, ControlPlanOut, *READ), summary="En internkontrollplan"
)
def get_control_plan(request, plan_id: int = PathId()):
    return get_object_or_404(visible_control_plans(caller(request)), pk=plan_id)


@router.get("", response=answers(200, RiskPage, *READ), summary="Risker")
def list_risks(request, page: Query[PageParams], filters: Query[RiskFilters]):
    queryset = visible_risks(caller(request)).order_by(
        "control_plan__unit__organisation__code",
        "control_plan__unit__position",
        "-control_plan__year",
        "area__position",
        "position",
        "pk",
    )
    lookups = {
        "organisation": "control_plan__unit__organisation__code",
        "unit": "control_plan__unit_id",
        "control_plan": "control_plan_id",
        "year": "control_plan__year",
        "area": "area__name",
        "region_wide": "is_region_wide",
    }
    queryset = filtered(queryset, filters, lookups)
    if filters.for_unit is not None:
        unit = Unit.objects.filter(pk=filters.for_unit).first()
        if unit is None:
            raise unknown("for_unit", _("Okänd enhet."))
        queryset = queryset.filter(plan_risk_filter(unit, filters.year))
    return paginate(queryset, page)


@router.get(
    "/{risk_id}",
    response=answers(200, RiskOut, *READ),
    summary="En risk",
    description="Svaret har en ETag som If-Match tar när risken bedöms eller får en ny "
    "åtgärd; den ändras med risken, dess åtgärder och bedömningar.",
)
@tagged
def get_risk(request, response: HttpResponse, risk_id: int = PathId()):
    risk = get_object_or_404(visible_risks(caller(request)), pk=risk_id)
    set_etag(response, "risk", risk)
    return risk


def _may_add_risk(user, **_path) -> None:
    require_somewhere(user, Perm.PLAN)  # which unit is in the body: checked again there


def _may_change_risk(user, risk_id: int) -> None:
    require(user, Perm.PLAN, get_object_or_404(visible_risks(user), pk=risk_id))


@router.post(
    "",
    auth=allowed(_may_add_risk),
    response=answers(201, RiskOut, *WRITE),
    summary="Lägg till en risk",
    description="I enhetens internkontrollplan för året (planen skapas vid behov). "
    "Regionövergripande risker läggs i styrelsens plan.",
)
def new_risk(request, payload: RiskIn):
    user = writer(request)
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise unknown("unit", _("Okänd enhet."))
    with transaction.atomic():  # a refused risk leaves no new plan behind
        plan = ensure_control_plan(unit, payload.year, actor=user)
        risk = create_risk(
            plan,
            actor=user,
            area=payload.area,
            text=payload.text,
            requirements=payload.requirements,
            is_region_wide=payload.is_region_wide,
            note=payload.note,
        )
    return Status(201, visible_risks(user).get(pk=risk.pk))


@router.post(
    "/{risk_id}/assessments",
    auth=allowed(_may_change_risk),
    response=answers(200, RiskOut, *WRITE, 412),
    summary="Bedöm en risk",
    description="Sätter årets sannolikhet och konsekvens (riskvärdet räknas fram) och beslutet "
    "accepterad / ej accepterad. En risk som inte accepteras ska ha minst en åtgärd. Båda "
    "stegen tomma och inget beslut tar bort årets bedömning. Med If-Match bara om risken "
    "inte har ändrats sedan den lästes (annars 412).",
)
@tagged
def assess(
    request,
    response: HttpResponse,
    payload: RiskAssessmentIn,
    risk_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    risk = get_object_or_404(visible_risks(user), pk=risk_id)
    assess_risk(
        risk,
        actor=user,
        likelihood=payload.likelihood,
        consequence=payload.consequence,
        decision=payload.decision,
        motivation=payload.motivation,
        year=payload.year,
        expected_version=expected_version(request, "risk", risk.pk, risk.row_version),
    )
    risk = visible_risks(user).get(pk=risk.pk)
    set_etag(response, "risk", risk)
    return risk


@router.post(
    "/{risk_id}/measures",
    auth=allowed(_may_change_risk),
    response=answers(201, ControlMeasureOut, *WRITE, 412),
    summary="Lägg till en åtgärd",
    description="Med If-Match (riskens ETag) bara om risken inte har ändrats sedan den "
    "lästes (annars 412).",
)
def new_measure(
    request, payload: ControlMeasureIn, risk_id: int = PathId(), if_match: str | None = IfMatch()
):
    user = writer(request)
    risk = get_object_or_404(visible_risks(user), pk=risk_id)
    measure = create_measure(
        risk,
        actor=user,
        text=payload.text,
        responsible=payload.responsible,
        control_method=payload.control_method,
        frequency=payload.frequency,
        reported_in=payload.reported_in,
        expected_version=expected_version(request, "risk", risk.pk, risk.row_version),
    )
    return Status(201, measure)
