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

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, can, scope
from uppsikt.control import visibility as control_visibility
from uppsikt.control.actions.followup import add_deviation
from uppsikt.control.models import Deviation, Measure
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.followup.statuses import registered_labels
from uppsikt.followup.text import comment_as_text
from uppsikt.organisations.models import Unit
from uppsikt.organisations.ownership import unit_id_of
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan
from uppsikt.plans.rules import plan_id_of

from .auth import caller, writer
from .errors import invalid
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import READ, WRITE, Id, PathId, answers, choice

router = Router(tags=["Uppföljning"])
periods_router = Router(tags=["Uppföljning"])


class PeriodOut(Schema):
    id: int
    organisation: str
    year: int
    kind: str
    name: str
    ends_on: datetime.date
    status: str

    @staticmethod
    def resolve_organisation(obj: ReportingPeriod) -> str:
        return obj.organisation.code


class PeriodFilters(Schema):
    organisation: str | None = None
    year: int | None = Field(None, ge=1900, le=2200)


class DeviationOut(Schema):
    id: int
    found: str = Field(description="Vad som upptäcktes.")
    handling: str = Field(description="Vad som görs åt det.")
    is_example: bool


class DeviationIn(Schema):
    model_config = {"extra": "forbid"}
    found: str = Field(..., min_length=1, max_length=5000)
    handling: str = Field("", max_length=5000)


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
    object_type: str | None = Field(None, max_length=100)


class FollowUpIn(Schema):
    model_config = {"extra": "forbid"}
    period: Id
    object_type: str = Field(..., max_length=100, description="T.ex. plans.activity.")
    object_id: Id
    unit: Id | None = Field(None, description="Enheten som följer upp; standard: objektets.")
    status: str | None = Field(None, max_length=30)
    comment: str | None = Field(None, max_length=20000)


class StateIn(Schema):
    model_config = {"extra": "forbid"}
    state: choice(FollowUp.State)
    reason: str = Field("", max_length=2000)


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
    label = object_type.lower()
    if label not in registered_labels():
        raise invalid(
            "object_type",
            _("Objekt av den typen följs inte upp. Tillåtna: %(labels)s.")
            % {"labels": ", ".join(registered_labels())},
            "unknown",
        )
    model = apps.get_model(label)
    target = model._default_manager.filter(pk=object_id).first()
    if target is None or not _visible(target, user):  # what one may not see does not exist
        raise invalid("object_id", _("Objektet finns inte."), "unknown")
    return target


@router.post(
    "",
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
        raise invalid("period", _("Okänt uppföljningstillfälle."), "unknown")
    target = _target(payload.object_type, payload.object_id, user)
    unit = None
    if payload.unit is not None:
        unit = Unit.objects.filter(pk=payload.unit).first()
        if unit is None:
            raise invalid("unit", _("Okänd enhet."), "unknown")
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


@router.post(
    "/{followup_id}/state",
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
    entry = get_object_or_404(visible_followups(user), pk=followup_id)
    measure = entry.target
    if not isinstance(measure, Measure):
        raise invalid(
            "followup_id",
            _("Avvikelser rapporteras för åtgärder i internkontrollplanen."),
            "not_a_measure",
        )
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
