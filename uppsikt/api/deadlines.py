"""A period's deadlines (sista dag): the organisation's and the earlier ones of units.

Read by anyone, like the periods; written by an administrator of the whole organisation
through ``periods.deadline_actions`` (its rules answer 409 with a code per field:
``before_period_end``, ``review_before_report``, ``after_period_deadline``,
``unit_deadline_later``, ``period_closed``, ``other_organisation``, ``required``,
``not_found``).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from uppsikt.organisations.models import Unit
from uppsikt.periods import deadline_actions
from uppsikt.periods.models import ReportingPeriod, UnitDeadline
from uppsikt.periods.rules import require_organisation_admin

from .auth import allowed, writer
from .errors import unknown
from .schemas import INPUT, READ, WRITE, IsoDate, PathId, answers

router = Router(tags=["Uppföljning"])


class UnitDeadlineOut(Schema):
    unit_id: int
    unit: str = Field(description="Enhetens namn.")
    report_by: IsoDate | None
    review_by: IsoDate | None


class DeadlinesOut(Schema):
    period_id: int
    ends_on: IsoDate
    report_by: IsoDate | None = Field(description="Organisationens sista dag för rapportering.")
    review_by: IsoDate | None = Field(description="Organisationens sista dag för granskning.")
    units: list[UnitDeadlineOut] = Field(
        description="Enheter med tidigare sista dagar; de gäller också enheterna under dem."
    )


class DeadlinesIn(Schema):
    model_config = INPUT
    report_by: IsoDate | None = Field(None, description="ÅÅÅÅ-MM-DD, eller null för ingen.")
    review_by: IsoDate | None = Field(None, description="ÅÅÅÅ-MM-DD, eller null för ingen.")


def _out(period: ReportingPeriod) -> DeadlinesOut:
    units = UnitDeadline.objects.filter(period=period).select_related("unit").order_by("unit_id")
    return DeadlinesOut(
        period_id=period.pk,
        ends_on=period.ends_on,
        report_by=period.report_by,
        review_by=period.review_by,
        units=[
            UnitDeadlineOut(
                unit_id=d.unit_id, unit=d.unit.name, report_by=d.report_by, review_by=d.review_by
            )
            for d in units
        ],
    )


def _period(period_id: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.select_related("organisation"), pk=period_id)


def _may_administer(user, period_id: int, **_path) -> None:
    require_organisation_admin(user, _period(period_id).organisation)


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise unknown("unit_id", _("Okänd enhet."))
    return unit


@router.get(
    "/{period_id}/deadlines",
    response=answers(200, DeadlinesOut, *READ),
    summary="Sista dagar",
    description="Organisationens sista dagar för rapportering och granskning och enheternas "
    "tidigare sista dagar.",
)
def get_deadlines(request, period_id: int = PathId()):
    return _out(_period(period_id))


@router.put(
    "/{period_id}/deadlines",
    auth=allowed(_may_administer),
    response=answers(200, DeadlinesOut, *WRITE),
    summary="Sätt organisationens sista dagar",
    description="Ingen sista dag före periodens slut, granskning inte före rapportering och "
    "inte före en enhets tidigare sista dag. Bara i öppna tillfällen.",
)
def put_deadlines(request, payload: DeadlinesIn, period_id: int = PathId()):
    user = writer(request)
    period = _period(period_id)
    deadline_actions.set_period_deadlines(
        period, actor=user, report_by=payload.report_by, review_by=payload.review_by
    )
    return _out(period)


@router.put(
    "/{period_id}/deadlines/units/{unit_id}",
    auth=allowed(_may_administer),
    response=answers(200, DeadlinesOut, *WRITE),
    summary="Sätt en enhets tidigare sista dagar",
    description="Gäller enheten och enheterna under den; aldrig senare än det som gäller "
    "ovanför (after_period_deadline).",
)
def put_unit_deadline(
    request, payload: DeadlinesIn, period_id: int = PathId(), unit_id: int = PathId()
):
    user = writer(request)
    period = _period(period_id)
    deadline_actions.set_unit_deadline(
        period,
        _unit(unit_id),
        actor=user,
        report_by=payload.report_by,
        review_by=payload.review_by,
    )
    return _out(period)


@router.delete(
    "/{period_id}/deadlines/units/{unit_id}",
    auth=allowed(_may_administer),
    response=answers(204, None, *WRITE),
    summary="Ta bort en enhets egna sista dagar",
)
def delete_unit_deadline(request, period_id: int = PathId(), unit_id: int = PathId()):
    user = writer(request)
    deadline_actions.remove_unit_deadline(_period(period_id), _unit(unit_id), actor=user)
    return Status(204, None)
