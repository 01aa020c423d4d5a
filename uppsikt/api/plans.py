"""Plans (verksamhetsplaner) with their versions; deciding and revising go through
``plans.actions.versions`` like the web pages do."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, require
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions.content import update_section
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Plan, Section
from uppsikt.plans.queries import versions_of
from uppsikt.plans.rules import ensure_editable

from .auth import allowed, caller, writer
from .errors import unknown
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, NO_NUL, READ, WRITE, Id, IsoDate, PathId, Text, answers, choice

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
    organisation: str | None = Text(
        None, max_length=4, description="Organisationens kod, t.ex. 0018."
    )
    unit: Id | None = Field(None, description="Enhetens id.")
    year: int | None = Field(None, ge=1900, le=2200)
    status: choice(Plan.Status) | None = None


class RevisionIn(Schema):
    model_config = INPUT
    reason: str = Text(..., max_length=2000, required=True, description="Varför planen revideras.")


class PlanDecisionIn(Schema):
    model_config = INPUT
    decided_by: Id = Field(..., description="Id för enheten (organet) som beslutade.")
    decided_on: IsoDate = Field(
        ...,
        description="Beslutsdatum, ÅÅÅÅ-MM-DD. Inte i framtiden och inte före beslutet om "
        "planens förra version.",
    )
    reason: str = Text("", max_length=2000)


PlanPage = page_of(PlanOut, "PlanPage")


def visible_plans(user):
    return (
        Plan.objects.visible_to(user)
        .select_related("unit__organisation", "decided_by")
        .with_superseded()
    )


def _detail(plan: Plan, user) -> Plan:
    plan.versions = list(versions_of(plan, user))  # type: ignore[attr-defined]  # for the schema
    return plan


@router.get(
    "",
    response=answers(200, PlanPage),
    summary="Planer",
    description="Beslutade planer för alla; utkast också i enheter där nyckelns ägare får läsa dem.",
)
def list_plans(request, page: Query[PageParams], filters: Query[PlanFilters]):
    queryset = visible_plans(caller(request)).order_by(
        "unit__organisation__code", "unit__position", "-year", "-version"
    )
    lookups = {
        "organisation": "unit__organisation__code",
        "unit": "unit_id",
        "year": "year",
        "status": "status",
    }
    return paginate(filtered(queryset, filters, lookups), page)


@router.get("/{plan_id}", response=answers(200, PlanDetail, *READ), summary="En plan")
def get_plan(request, plan_id: int = PathId()):
    plan = get_object_or_404(visible_plans(caller(request)), pk=plan_id)
    return _detail(plan, caller(request))


def _may_plan(user, plan_id: int) -> None:
    require(user, Perm.PLAN, get_object_or_404(visible_plans(user), pk=plan_id))


@router.post(
    "/{plan_id}/revisions",
    auth=allowed(_may_plan),
    response=answers(201, PlanDetail, *WRITE, 409),
    summary="Revidera en beslutad plan",
    description="Skapar nästa version som utkast med en kopia av hela planen. Skäl krävs.",
)
def create_revision(request, payload: RevisionIn, plan_id: int = PathId()):
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    revision = revise_plan(plan, actor=user, reason=payload.reason)
    new = visible_plans(user).get(pk=revision.plan.pk)
    return Status(201, _detail(new, user))


@router.post(
    "/{plan_id}/decision",
    auth=allowed(_may_plan),
    response=answers(200, PlanDetail, *WRITE, 409),
    summary="Registrera beslut om en plan",
    description="Beslutar ett utkast: det publiceras, och en tidigare beslutad version blir ersatt.",
)
def decide_plan_version(request, payload: PlanDecisionIn, plan_id: int = PathId()):
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    body = Unit.objects.filter(pk=payload.decided_by).first()
    if body is None:
        raise unknown("decided_by", _("Okänd enhet."))
    decide_plan(
        plan,
        actor=user,
        decided_by=body,
        decided_on=payload.decided_on,
        reason=payload.reason,
    )
    return _detail(visible_plans(user).get(pk=plan.pk), user)


# -- plan texts (avsnitt) -----------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    plan_id: int
    number: str
    heading: str
    body: str = Field(description="Texten, oformaterad; tomma rader skiljer stycken.")
    position: int


class SectionPatch(Schema):
    """Bara de fält som anges ändras."""

    model_config = INPUT
    number: str | None = Text(None, max_length=20)
    heading: str | None = Field(None, min_length=1, max_length=300, pattern=NO_NUL)
    body: str | None = Text(None, max_length=200000)


def _visible_section(user, plan_id: int, section_id: int) -> Section:
    return get_object_or_404(
        Section.objects.filter(plan__in=visible_plans(user)).select_related("plan"),
        pk=section_id,
        plan_id=plan_id,
    )


def _may_edit_section(user, plan_id: int, section_id: int) -> None:
    section = _visible_section(user, plan_id, section_id)
    require(user, Perm.PLAN, section)
    ensure_editable(section.plan)


@router.get(
    "/{plan_id}/sections",
    response=answers(200, list[SectionOut], *READ),
    summary="Planens avsnitt (texter)",
)
def list_sections(request, plan_id: int = PathId()):
    plan = get_object_or_404(visible_plans(caller(request)), pk=plan_id)
    return list(Section.objects.filter(plan=plan).order_by("position", "pk"))


@router.get(
    "/{plan_id}/sections/{section_id}",
    response=answers(200, SectionOut, *READ),
    summary="Ett avsnitt i en plan",
    description="Svaret har en ETag som If-Match tar när avsnittet ändras.",
)
@tagged
def get_section(
    request, response: HttpResponse, plan_id: int = PathId(), section_id: int = PathId()
):
    section = _visible_section(caller(request), plan_id, section_id)
    set_etag(response, "section", section)
    return section


@router.patch(
    "/{plan_id}/sections/{section_id}",
    response=answers(200, SectionOut, *WRITE, 409, 412),
    auth=allowed(_may_edit_section),
    summary="Ändra ett avsnitt i en plan",
    description="Bara i ett utkast. I en beslutad plan (409): revidera planen först. Med "
    "If-Match bara om avsnittet inte har ändrats sedan det lästes (annars 412).",
)
@tagged
def patch_section(
    request,
    response: HttpResponse,
    payload: SectionPatch,
    plan_id: int = PathId(),
    section_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    section = _visible_section(user, plan_id, section_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    expected = expected_version(request, "section", section.pk, section.row_version)
    section = update_section(section, actor=user, expected_version=expected, **changes)
    set_etag(response, "section", section)
    return section
