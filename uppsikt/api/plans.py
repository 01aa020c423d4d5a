"""Plans (verksamhetsplaner) with their versions; deciding and revising go through
``plans.versions`` like the web pages do."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan
from uppsikt.plans.versions import decide_plan, revise_plan, versions_of

from .auth import caller, writer
from .errors import Error, invalid
from .pagination import PageParams, page_of, paginate

router = Router(tags=["Planer"])


class PlanOut(Schema):
    id: int
    unit_id: int
    organisation: str
    year: int
    horizon_end: int | None
    title: str
    status: str
    version: int
    decided_by_id: int | None
    decided_on: datetime.date | None
    superseded: bool = Field(description="En senare version är beslutad och gäller i stället.")
    is_example: bool
    source: str
    url: str

    @staticmethod
    def resolve_organisation(obj: Plan) -> str:
        return obj.unit.organisation.code

    @staticmethod
    def resolve_superseded(obj: Plan) -> bool:
        return bool(getattr(obj, "superseded", False))

    @staticmethod
    def resolve_url(obj: Plan) -> str:
        return obj.get_absolute_url()


class VersionOut(Schema):
    id: int
    version: int
    status: str
    decided_on: datetime.date | None


class PlanDetail(PlanOut):
    versions: list[VersionOut]


class PlanFilters(Schema):
    organisation: str | None = Field(None, description="Organisationens kod, t.ex. 0018.")
    unit: int | None = Field(None, description="Enhetens id.")
    year: int | None = Field(None, ge=1900, le=2200)
    status: Plan.Status | None = None


class RevisionIn(Schema):
    model_config = {"extra": "forbid"}
    reason: str = Field(..., min_length=1, max_length=2000, description="Varför planen revideras.")


class DecisionIn(Schema):
    model_config = {"extra": "forbid"}
    decided_by: int = Field(..., description="Id för enheten (organet) som beslutade.")
    decided_on: datetime.date
    reason: str = Field("", max_length=2000)


PlanPage = page_of(PlanOut, "PlanPage")


def visible_plans(user):
    return (
        Plan.objects.visible_to(user)
        .select_related("unit__organisation", "decided_by")
        .with_superseded()
    )


def _detail(plan: Plan, user) -> Plan:
    plan.versions = list(versions_of(plan, user))
    return plan


@router.get("", response={200: PlanPage, 422: Error}, summary="Planer")
def list_plans(request, page: Query[PageParams], filters: Query[PlanFilters]):
    """Decided plans for everyone; drafts too in the units where the token's user may read."""
    queryset = visible_plans(caller(request)).order_by(
        "unit__organisation__code", "unit__position", "-year", "-version"
    )
    if filters.organisation:
        queryset = queryset.filter(unit__organisation__code=filters.organisation)
    if filters.unit is not None:
        queryset = queryset.filter(unit_id=filters.unit)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return paginate(queryset, page)


@router.get("/{plan_id}", response={200: PlanDetail, 404: Error}, summary="En plan")
def get_plan(request, plan_id: int):
    plan = get_object_or_404(visible_plans(caller(request)), pk=plan_id)
    return _detail(plan, caller(request))


@router.post(
    "/{plan_id}/revisions",
    response={201: PlanDetail, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Revidera en beslutad plan",
)
def create_revision(request, plan_id: int, payload: RevisionIn):
    """Start the next version as an utkast holding a copy of the whole plan."""
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    revision = revise_plan(plan, actor=user, reason=payload.reason)
    new = visible_plans(user).get(pk=revision.plan.pk)
    return 201, _detail(new, user)


@router.post(
    "/{plan_id}/decision",
    response={200: PlanDetail, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Registrera beslut om en plan",
)
def decide(request, plan_id: int, payload: DecisionIn):
    """Decide an utkast: it is published, and an earlier decided version becomes ersatt."""
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    body = Unit.objects.filter(pk=payload.decided_by).first()
    if body is None:
        raise invalid("decided_by", _("Okänd enhet."), "unknown")
    decide_plan(
        plan,
        actor=user,
        decided_by=body,
        decided_on=payload.decided_on,
        reason=payload.reason,
    )
    return _detail(visible_plans(user).get(pk=plan.pk), user)
