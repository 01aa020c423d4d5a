"""Goal assessments per period: the automatic proposal and the human decision, both kept."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from uppsikt.accounts.access import Perm, require
from uppsikt.indicators.actions import decide_assessment
from uppsikt.indicators.models import Assessment
from uppsikt.plans.models import Plan

from .auth import allowed, caller, writer
from .measurements import PERIOD
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import INPUT, READ, WRITE, Id, PathId, Text, answers

router = Router(tags=["Bedömningar"])


class AssessmentOut(Schema):
    id: int
    goal_id: int
    plan_id: int
    period: str
    proposed_status: str = Field(
        description="Ett steg i organisationens bedömningsskala (styrmodellen) eller ej_bedombar."
    )
    proposed_status_label: str = Field(description="Stegets benämning i styrmodellen.")
    proposed_reason: str
    proposed_preliminary: bool
    decided_status: str | None = Field(description="Null: ännu inte bedömd av en person.")
    decided_status_label: str | None = Field(description="Stegets benämning i styrmodellen.")
    counts_as_met: bool = Field(
        description="Om bedömningen (den beslutade, annars förslaget) räknas som uppfylld."
    )
    comment: str
    decided_by: str | None
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_plan_id(obj: Assessment) -> int:
        return obj.goal.plan_id

    @staticmethod
    def resolve_proposed_status_label(obj: Assessment) -> str:
        return obj.scale.status_label(obj.proposed_status, as_stored=True)

    @staticmethod
    def resolve_decided_status_label(obj: Assessment) -> str | None:
        return obj.scale.status_label(obj.decided_status, as_stored=True) or None

    @staticmethod
    def resolve_counts_as_met(obj: Assessment) -> bool:
        return obj.scale.counts_as_met(obj.status)

    @staticmethod
    def resolve_decided_by(obj: Assessment) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class AssessmentFilters(Schema):
    goal: Id | None = None
    plan: Id | None = None
    unit: Id | None = None
    year: int | None = Field(None, ge=1000, le=9999, description="Planens år.")
    period: str | None = Field(None, pattern=PERIOD)


class AssessmentDecisionIn(Schema):
    model_config = INPUT
    status: str = Text(
        ...,
        max_length=40,
        required=True,
        description="Ett steg i organisationens bedömningsskala eller ej_bedombar.",
    )
    comment: str = Text("", max_length=10000, description="Krävs när beslutet avviker.")


AssessmentPage = page_of(AssessmentOut, "AssessmentPage")


def visible_assessments(user):
    return Assessment.objects.filter(goal__plan__in=Plan.objects.visible_to(user)).select_related(
        "goal__plan__unit", "decided_by"
    )


@router.get("", response=answers(200, AssessmentPage), summary="Bedömningar")
def list_assessments(request, page: Query[PageParams], filters: Query[AssessmentFilters]):
    queryset = visible_assessments(caller(request)).order_by(
        "goal__plan_id", "goal__position", "period", "pk"
    )
    lookups = {
        "goal": "goal_id",
        "plan": "goal__plan_id",
        "unit": "goal__plan__unit_id",
        "year": "goal__plan__year",
        "period": "period",
    }
    return paginate(filtered(queryset, filters, lookups), page)


@router.get("/{assessment_id}", response=answers(200, AssessmentOut, *READ), summary="En bedömning")
def get_assessment(request, assessment_id: int = PathId()):
    return get_object_or_404(visible_assessments(caller(request)), pk=assessment_id)


def _may_decide(user, assessment_id: int) -> None:
    require(user, Perm.PLAN, get_object_or_404(visible_assessments(user), pk=assessment_id))


@router.post(
    "/{assessment_id}/decision",
    auth=allowed(_may_decide),
    response=answers(200, AssessmentOut, *WRITE),
    summary="Besluta en bedömning",
    description="En kommentar krävs när beslutet avviker från förslaget.",
)
def decide_assessment_status(request, payload: AssessmentDecisionIn, assessment_id: int = PathId()):
    user = writer(request)
    assessment = get_object_or_404(visible_assessments(user), pk=assessment_id)
    require(user, Perm.PLAN, assessment)
    decide_assessment(assessment, actor=user, status=payload.status, comment=payload.comment)
    return visible_assessments(user).get(pk=assessment.pk)
