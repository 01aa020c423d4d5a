"""Plans (verksamhetsplaner) with their versions. A plan is created, changed and sent for
beredning through ``plans.actions.authoring``, decided and revised through
``plans.actions.versions``, like the web pages do. Its content is in ``parts``, its
beredning in ``review``, its answers to the plan above in ``cascade``."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from uppsikt.accounts.access import Perm, require, require_somewhere
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring
from uppsikt.plans.actions.content import update_section
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.models import Plan, Section
from uppsikt.plans.queries import versions_of
from uppsikt.plans.rules import ensure_editable

from .auth import allowed, caller, writer
from .errors import unknown
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import (
    INPUT,
    NO_NUL,
    READ,
    WRITE,
    Id,
    IsoDate,
    PathId,
    Text,
    answers,
    choice,
)

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
    note: str
    origin_id: int | None = Field(description="Planen som den här kopierades från.")
    breaks_down_id: int | None = Field(
        description="Planen för enheten ovanför vars mål den här planen bryter ned."
    )
    review_requested_at: datetime.datetime | None = Field(
        description="När utkastet skickades på beredning."
    )
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


@router.get(
    "/{plan_id}",
    response=answers(200, PlanDetail, *READ),
    summary="En plan",
    description="Svaret har en ETag som If-Match tar när planens uppgifter ändras.",
)
@tagged
def get_plan(request, response: HttpResponse, plan_id: int = PathId()):
    plan = get_object_or_404(visible_plans(caller(request)), pk=plan_id)
    set_etag(response, "plan", plan)
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


# -- writing a plan: create, change, send for beredning ----------------------------------------

FIRST_YEAR, LAST_YEAR, LAST_HORIZON = authoring.FIRST_YEAR, authoring.LAST_YEAR, 2200


class PlanIn(Schema):
    """En ny plan, ett utkast i version 1, för en enhet och ett år. mode empty: tom. copy: en
    kopia av enhetens plan för ett tidigare år (source), där varje objekt minns det det
    kopierades från. breakdown: tom, men bryter ned målen i planen för enheten ovanför samma
    år (source). source anges för copy och breakdown, inte för empty."""

    model_config = {
        **INPUT,
        "json_schema_extra": {
            "anyOf": [
                {"properties": {"mode": {"const": "empty"}, "source": {"type": "null"}}},
                {
                    "required": ["source"],
                    "properties": {
                        "mode": {"enum": ["copy", "breakdown"]},
                        "source": {"type": "integer"},
                    },
                },
            ]
        },
    }
    unit: Id = Field(..., description="Enhetens id.")
    year: int = Field(..., ge=FIRST_YEAR, le=LAST_YEAR)
    mode: Literal["empty", "copy", "breakdown"]
    source: Id | None = Field(None, description="Planen att utgå från (copy, breakdown).")
    title: str = Text(
        "",
        max_length=300,
        description="Tomt: en titel efter enheten och året (en kopia: källans titel med det "
        "nya året).",
    )
    horizon_end: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_HORIZON,
        description="Planeringshorisontens sista år, inte före planens år. En kopia utan "
        "värde flyttar källans horisont lika många år.",
    )

    @model_validator(mode="after")
    def _source_with_mode(self):
        if self.mode == "empty" and self.source is not None:
            raise ValueError(_("En tom plan utgår inte från någon plan: utelämna source."))
        if self.mode != "empty" and self.source is None:
            raise ValueError(_("Ange planen att utgå från (source)."))
        return self


class PlanPatch(Schema):
    """Bara de fält som anges ändras."""

    model_config = INPUT
    title: str | None = Text(None, max_length=300, required=True, description="null: oförändrad.")
    horizon_end: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_HORIZON,
        description="Inte före planens år; null: ingen planeringshorisont.",
    )
    note: str | None = Text(
        None, max_length=100000, description="Stycken, punktlistor och länkar; null: ingen."
    )


class ReviewIn(Schema):
    model_config = INPUT
    note: str = Text("", max_length=2000, description="Ett meddelande till dem som bereder.")


def _may_create(user, **_path) -> None:
    require_somewhere(user, Perm.PLAN)  # the unit is in the body: checked again there


def _may_edit_plan(user, plan_id: int) -> None:
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    require(user, Perm.PLAN, plan)
    ensure_editable(plan)


@router.post(
    "",
    auth=allowed(_may_create),
    response=answers(201, PlanDetail, *WRITE),
    summary="Skapa en plan",
    description="Ett nytt utkast för en enhet och ett år: tomt, en kopia av ett tidigare år "
    "eller en nedbrytning av planen ovanför. Kräver rätten att planera i enheten. Finns "
    "redan en plan för enheten och året, eller passar source inte, är svaret 409.",
)
@tagged
def new_plan(request, response: HttpResponse, payload: PlanIn):
    user = writer(request)
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise unknown("unit", _("Okänd enhet."))
    source = None
    if payload.source is not None:
        source = visible_plans(user).filter(pk=payload.source).first()
        if source is None:
            raise unknown("source", _("Okänd plan."))
    plan = authoring.create_plan(
        unit,
        payload.year,
        actor=user,
        mode=payload.mode,
        source=source,
        title=payload.title,
        horizon_end=payload.horizon_end,
    )
    set_etag(response, "plan", plan)
    return Status(201, _detail(visible_plans(user).get(pk=plan.pk), user))


@router.patch(
    "/{plan_id}",
    auth=allowed(_may_edit_plan),
    response=answers(200, PlanDetail, *WRITE, 412),
    summary="Ändra en plans uppgifter",
    description="Titel, planeringshorisont och anmärkning i ett utkast (en beslutad plan: "
    "409). Med If-Match bara om planen inte har ändrats sedan den lästes (annars 412).",
)
@tagged
def patch_plan(
    request,
    response: HttpResponse,
    payload: PlanPatch,
    plan_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("title", "") is None:
        del changes["title"]  # a plan always has a title
    if "note" in changes:
        changes["note"] = changes["note"] or ""
    expected = expected_version(request, "plan", plan.pk, plan.row_version)
    plan = authoring.update_plan(plan, actor=user, expected_version=expected, **changes)
    set_etag(response, "plan", plan)
    return _detail(visible_plans(user).get(pk=plan.pk), user)


@router.post(
    "/{plan_id}/review",
    auth=allowed(_may_edit_plan),
    response=answers(200, PlanDetail, *WRITE),
    summary="Skicka ett utkast på beredning",
    description="Utkastet går ut för synpunkter (POST /plans/{id}/comments) innan det "
    "beslutas. Redan skickat: 409.",
)
def send_plan_for_review(request, payload: ReviewIn, plan_id: int = PathId()):
    user = writer(request)
    plan = get_object_or_404(visible_plans(user), pk=plan_id)
    authoring.send_for_review(plan, actor=user, note=payload.note)
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
