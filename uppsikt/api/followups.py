"""Follow-up entries (uppföljning) and the reporting periods they belong to.

Written through ``followup.actions.entries.save_followup`` and ``set_state`` (permissions, closed
periods, the utkast → klar → granskad workflow, each kind's own rules and the audit trail
are theirs). Comments are stored sanitised: ``comment`` is safe HTML, ``comment_text`` the
same without markup.

Internal-control åtgärder (``control.measure``) are followed up by the unit that owns the
risk, and a region-wide one by every nämnd on its own entry (give ``unit``). Their entries
carry the avvikelser found, written with ``POST /followups/{id}/deviations``
(``control.actions.followup.add_deviation``).

An entry is read with an ``ETag`` and written with ``If-Match`` (``preconditions``); its
version moves with every write of it, its state and its avvikelser.
"""

import datetime
from typing import Annotated, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError, core_schema

from uppsikt.accounts.access import Perm, can, require, require_somewhere, scope
from uppsikt.control import visibility as control_visibility
from uppsikt.control.actions.followup import add_deviation
from uppsikt.control.models import Deviation, Measure
from uppsikt.followup.actions.entries import may_move, save_followup, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.followup.statuses import per_object, registered_labels, values_for
from uppsikt.followup.text import comment_as_text
from uppsikt.organisations.models import Unit
from uppsikt.organisations.ownership import unit_id_of
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan
from uppsikt.plans.rules import plan_id_of

from .auth import allowed, caller, writer
from .errors import ApiError, unknown
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, READ, WRITE, Id, OrganisationCode, PathId, Text, answers, choice

router = Router(tags=["Uppföljning"])
periods_router = Router(tags=["Uppföljning"])


class _ObjectTypes:
    """The kinds of objects followed up (``followup.statuses``), as an enum in the schema.

    The kinds register themselves when the apps are ready, after this module is imported,
    so the schema reads them when it is built and the value is checked when it arrives.
    """

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        def check(value: str) -> str:
            if value not in registered_labels():
                labels = ", ".join(registered_labels())
                raise PydanticCustomError(
                    "enum", "Input should be {expected}", {"expected": labels}
                )
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    @classmethod
    def __get_pydantic_json_schema__(cls, core, handler):
        return {"type": "string", "enum": list(registered_labels())}


ObjectType = Annotated[str, _ObjectTypes]


class PeriodOut(Schema):
    id: int
    organisation: str
    year: int
    kind: str
    name: str
    ends_on: datetime.date
    status: str
    report_by: datetime.date | None = Field(description="Sista dag för rapportering.")
    review_by: datetime.date | None = Field(description="Sista dag för granskning.")

    @staticmethod
    def resolve_organisation(obj: ReportingPeriod) -> str:
        return obj.organisation.code


class PeriodFilters(Schema):
    organisation: str | None = OrganisationCode(None)
    year: int | None = Field(None, ge=1900, le=2200)


class DeviationOut(Schema):
    id: int
    found: str = Field(description="Vad som upptäcktes.")
    handling: str = Field(description="Vad som görs åt det.")
    is_example: bool


class DeviationIn(Schema):
    model_config = INPUT
    found: str = Text(..., max_length=5000, required=True)
    handling: str = Text("", max_length=5000)


class FollowUpOut(Schema):
    id: int
    period_id: int
    unit_id: int
    object_type: str = Field(description="T.ex. plans.activity eller plans.goal.")
    object_id: int
    status: str
    status_label: str
    comment: str = Field(description="Kommentaren som säker HTML.")
    comment_text: str
    responsible: str | None
    state: str
    written_by: str | None
    written_at: datetime.datetime | None
    is_example: bool
    copied_from_id: int | None = Field(description="Texten hämtades från detta tillfälle.")
    deviations: list[DeviationOut] = Field(
        description="Avvikelser som upptäckts (uppföljningar av internkontrollens åtgärder)."
    )

    @staticmethod
    def resolve_deviations(obj: FollowUp) -> list[Deviation]:
        return list(obj.deviations.all())

    @staticmethod
    def resolve_object_type(obj: FollowUp) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_status_label(obj: FollowUp) -> str:
        return str(obj.status_label())

    @staticmethod
    def resolve_comment_text(obj: FollowUp) -> str:
        return comment_as_text(obj.comment)

    @staticmethod
    def resolve_responsible(obj: FollowUp) -> str | None:
        return obj.responsible.get_username() if obj.responsible else None

    @staticmethod
    def resolve_written_by(obj: FollowUp) -> str | None:
        return obj.written_by.get_username() if obj.written_by else None


class FollowUpFilters(Schema):
    period: Id | None = Field(None, description="Uppföljningstillfällets id.")
    unit: Id | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    state: choice(FollowUp.State) | None = None
    object_type: str | None = Text(None, max_length=100)


def _statuses_by_kind(schema: dict, _model) -> None:
    """Each kind of object takes its own statuses (``followup.statuses``): say so."""
    branches = []
    for label in registered_labels():
        if per_object(label):  # a goal: a step of its organisation's assessment scale
            status: dict = {"anyOf": [{"type": "null"}, {"type": "string"}]}
        else:
            values = ["", *(values_for(label) or [])]
            status = {"anyOf": [{"type": "null"}, {"enum": values}]}
        branches.append({"properties": {"object_type": {"const": label}, "status": status}})
    schema["anyOf"] = branches


class FollowUpIn(Schema):
    # The docstring is the schema's published description, so it is in Swedish.
    """status är en av statusarna för objektets slag; "" tar bort den, null (eller utelämnad)
    lämnar den som den är."""

    model_config = {**INPUT, "json_schema_extra": _statuses_by_kind}
    period: Id
    object_type: ObjectType = Field(..., description="T.ex. plans.activity.")
    object_id: Id
    unit: Id | None = Field(None, description="Enheten som följer upp; standard: objektets.")
    status: str | None = Text(None, max_length=30)
    comment: str | None = Text(None, max_length=20000)

    @field_validator("status")
    @classmethod
    def _status_of_kind(cls, status: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("object_type")
        # A goal's statuses depend on its organisation: its own action checks them.
        if status and kind is not None and not per_object(kind):
            values = values_for(kind)
            if values is None or status not in values:
                allowed = ", ".join(values) if values is not None else ""
                raise PydanticCustomError(
                    "enum", "Input should be {expected}", {"expected": allowed or '""'}
                )
        return status


class StateIn(Schema):
    model_config = INPUT
    state: choice(FollowUp.State)
    reason: str = Text("", max_length=2000)


FollowUpPage = page_of(FollowUpOut, "FollowUpPage")
PeriodPage = page_of(PeriodOut, "ReportingPeriodPage")


def visible_followups(user):
    """Entries in the caller's units; åtgärder's entries also as internal control publishes
    them (closed periods; the risk's own unit reads every nämnd's follow-up)."""
    published = control_visibility.published_measure_followups(user)
    return (
        scope(FollowUp.objects.all(), user, published=published, perm=Perm.VIEW)
        .select_related("content_type", "responsible", "written_by", "period")
        .prefetch_related(
            Prefetch("deviations", queryset=Deviation.objects.order_by("position", "pk"))
        )
    )


@periods_router.get("", response=answers(200, PeriodPage), summary="Uppföljningstillfällen")
def list_periods(request, page: Query[PageParams], filters: Query[PeriodFilters]):
    queryset = ReportingPeriod.objects.select_related("organisation").order_by(
        "organisation__code", "year", "ends_on", "pk"
    )
    lookups = {"organisation": "organisation__code", "year": "year"}
    return paginate(filtered(queryset, filters, lookups), page)


@router.get(
    "",
    response=answers(200, FollowUpPage),
    summary="Uppföljningar",
    description="Uppföljningar i de enheter där nyckelns ägare får läsa opublicerat innehåll.",
)
def list_followups(request, page: Query[PageParams], filters: Query[FollowUpFilters]):
    queryset = visible_followups(caller(request)).order_by("period_id", "unit_id", "pk")
    lookups = {
        "period": "period_id",
        "unit": "unit_id",
        "year": "period__year",
        "state": "state",
    }
    queryset = filtered(queryset, filters, lookups)
    if filters.object_type:
        app_label, _dot, model = filters.object_type.lower().partition(".")
        queryset = queryset.filter(content_type__app_label=app_label, content_type__model=model)
    return paginate(queryset, page)


@router.get(
    "/{followup_id}",
    response=answers(200, FollowUpOut, *READ),
    summary="En uppföljning",
    description="Svaret har en ETag som If-Match tar när uppföljningen skrivs.",
)
@tagged
def get_followup(request, response: HttpResponse, followup_id: int = PathId()):
    entry = get_object_or_404(visible_followups(caller(request)), pk=followup_id)
    set_etag(response, "followup", entry)
    return entry


def _visible(target, user) -> bool:
    """The caller may see the object: in their units, content of a decided plan, or an
    åtgärd of an internkontrollplan the caller may read (a nämnd reads the region's)."""
    if can(user, Perm.VIEW, target):
        return True
    if isinstance(target, Measure):
        return control_visibility.risks(user).filter(pk=target.risk_id).exists()
    plan_id = plan_id_of(target)
    return plan_id is not None and Plan.objects.published().filter(pk=plan_id).exists()


def _target(object_type: str, object_id: int, user):
    model = apps.get_model(object_type.lower())
    target = model._default_manager.filter(pk=object_id).first()
    if target is None or not _visible(target, user):  # what one may not see does not exist
        raise unknown("object_id", _("Objektet finns inte."))
    return target


def _may_write_followups(user, **_path) -> None:
    require_somewhere(user, Perm.REPORT)  # which unit is in the body: checked again there


@router.post(
    "",
    auth=allowed(_may_write_followups),
    response={**answers(201, FollowUpOut, *WRITE, 412), 200: FollowUpOut},
    summary="Skriv eller ändra en uppföljning",
    description="201 när uppföljningen är ny, 200 när den ändrades. Med If-Match bara om "
    "uppföljningen finns och inte har skrivits sedan den lästes (annars 412).",
)
@tagged
def write_followup(
    request, response: HttpResponse, payload: FollowUpIn, if_match: str | None = IfMatch()
):
    user = writer(request)
    period = ReportingPeriod.objects.filter(pk=payload.period).first()
    if period is None:
        raise unknown("period", _("Okänt uppföljningstillfälle."))
    target = _target(payload.object_type, payload.object_id, user)
    unit = None
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit).first()
        if unit is None:
            raise unknown("unit", _("Okänd enhet."))
    content_type = ContentType.objects.get_for_model(target)
    unit_id = unit.pk if unit else unit_id_of(target)
    with transaction.atomic():
        existing = (
            FollowUp.objects.filter(
                period=period, content_type=content_type, object_id=target.pk, unit_id=unit_id
            ).first()
            if unit_id is not None  # without a unit, save_followup refuses
            else None
        )
        expected = expected_version(
            request,
            "followup",
            existing.pk if existing else None,
            existing.row_version if existing else 0,
        )
        entry = save_followup(
            target,
            period,
            actor=user,
            unit=unit,
            status=payload.status,
            comment=payload.comment,
            expected_version=expected,
        )
    entry = visible_followups(user).get(pk=entry.pk)
    set_etag(response, "followup", entry)
    return Status(200 if existing else 201, entry)


def _may_move(user, followup_id: int) -> None:
    """Someone who may make some move of the entry from where it is: write it (utkast and
    klar) or review its unit (klar and granskad). Which move is the body's."""
    entry = get_object_or_404(visible_followups(user), pk=followup_id)
    if not may_move(user, entry):
        raise PermissionDenied(_("Du har inte behörighet att flytta uppföljningen."))


def _measure_entry(user, followup_id: int) -> FollowUp:
    entry = get_object_or_404(visible_followups(user), pk=followup_id)
    if not isinstance(entry.target, Measure):
        raise ApiError(
            404,
            "not_found",
            _("Avvikelser rapporteras för åtgärder i internkontrollplanen."),
            [
                {
                    "field": "followup_id",
                    "code": "not_a_measure",
                    "message": _("Uppföljningen gäller inte en åtgärd i internkontrollplanen."),
                }
            ],
        )
    return entry


def _may_report_deviation(user, followup_id: int) -> None:
    require(user, Perm.REPORT, _measure_entry(user, followup_id).unit_id)


@router.post(
    "/{followup_id}/state",
    auth=allowed(_may_move),
    response=answers(200, FollowUpOut, *WRITE, 412),
    summary="Flytta en uppföljning i arbetsflödet",
    description="utkast → klar (rapportör), klar → granskad (granskare), och tillbaka. Med "
    "If-Match bara om uppföljningen inte har skrivits sedan den lästes (annars 412).",
)
@tagged
def change_state(
    request,
    response: HttpResponse,
    payload: StateIn,
    followup_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    entry = get_object_or_404(visible_followups(user), pk=followup_id)
    expected = expected_version(request, "followup", entry.pk, entry.row_version)
    set_state(entry, payload.state, actor=user, reason=payload.reason, expected_version=expected)
    entry = visible_followups(user).get(pk=entry.pk)
    set_etag(response, "followup", entry)
    return entry


@router.post(
    "/{followup_id}/deviations",
    auth=allowed(_may_report_deviation),
    response=answers(201, FollowUpOut, *WRITE, 412),
    summary="Rapportera en avvikelse",
    description="En avvikelse som upptäckts vid uppföljningen av en åtgärd i "
    "internkontrollplanen, och vad som görs åt den. Samma behörighet som att skriva "
    "uppföljningen. Med If-Match bara om uppföljningen inte har skrivits sedan den lästes "
    "(annars 412).",
)
@tagged
def new_deviation(
    request,
    response: HttpResponse,
    payload: DeviationIn,
    followup_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    entry = _measure_entry(user, followup_id)
    measure = cast(Measure, entry.target)  # _measure_entry made sure
    add_deviation(
        measure,
        entry.period,
        actor=user,
        unit=entry.unit,
        found=payload.found,
        handling=payload.handling,
        expected_version=expected_version(request, "followup", entry.pk, entry.row_version),
    )
    entry = visible_followups(user).get(pk=entry.pk)
    set_etag(response, "followup", entry)
    return Status(201, entry)
