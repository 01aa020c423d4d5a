"""The review dialogue and copy forward of the follow-up (``followup.actions.dialogue``,
``followup.actions.carry``).

A thread is on a follow-up entry (``/followups/{id}/comments``) or on a unit's report for a
period (``/reporting-periods/{period}/units/{unit}/comments``). Both are read by those who
may read the unit's follow-up and written by those who also write or review it. A thread
one may not read answers 404 with a message saying so; a post from one who may read but
takes no part in the granskning answers 403; a closed period 409 (``period_closed``), an
empty text 409 (``empty_text``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, can, require
from uppsikt.followup.actions import carry, dialogue
from uppsikt.followup.models import FollowUp, ReviewComment
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .auth import allowed, caller, writer
from .errors import ApiError
from .followups import FollowUpOut, visible_followups
from .pagination import PageParams, page_of, paginate
from .schemas import INPUT, READ, WRITE, PathId, Text, answers

router = Router(tags=["Uppföljning"])
entries_router = Router(tags=["Uppföljning"])


class ReviewCommentIn(Schema):
    model_config = INPUT
    text: str = Text(..., max_length=dialogue.MAX_TEXT, required=True)


class ReviewCommentOut(Schema):
    id: int
    period_id: int
    unit_id: int
    followup_id: int | None = Field(description="Uppföljningen som kommentaren gäller.")
    report: bool = Field(description="true: kommentaren gäller enhetens rapport som helhet.")
    kind: str = Field(
        description="comment (kommentar), return (granskaren återförde rapporten), "
        "approval (granskaren godkände rapporten med en kommentar)."
    )
    author: str | None
    author_name: str
    text: str = Field(description="Kommentaren som säker HTML.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_followup_id(obj: ReviewComment) -> int | None:
        return obj.entry_id

    @staticmethod
    def resolve_report(obj: ReviewComment) -> bool:
        return obj.report_id is not None

    @staticmethod
    def resolve_author(obj: ReviewComment) -> str | None:
        return obj.author.get_username() if obj.author else None


class CopyForwardOut(Schema):
    copied: list[FollowUpOut] = Field(
        description="Uppföljningarna som fick förra periodens text, markerade copied_from_id."
    )
    not_yours: int = Field(description="Uppföljningar utan text som är tilldelade någon annan.")
    without_earlier: int = Field(description="Uppföljningar utan text som inte hade någon förut.")


CommentPage = page_of(ReviewCommentOut, "ReviewCommentPage")


def _not_readable() -> ApiError:
    return ApiError(
        404,
        "not_found",
        _("Hittades inte."),
        [
            {
                "field": "unit_id",
                "code": "not_readable",
                "message": _(
                    "Enhetens uppföljning finns inte, eller så får du inte läsa den och "
                    "därmed inte heller dess dialog."
                ),
            }
        ],
    )


def _period_unit(user, period_id: int, unit_id: int) -> tuple[ReportingPeriod, Unit]:
    """The period and unit, when the caller may read the unit's follow-up (else 404)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can(user, Perm.VIEW, unit):
        raise _not_readable()
    period = ReportingPeriod.objects.filter(pk=period_id, organisation_id=unit.organisation_id)
    found = period.first()
    if found is None:
        raise ApiError(
            404,
            "not_found",
            _("Hittades inte."),
            [
                {
                    "field": "period_id",
                    "code": "unknown",
                    "message": _("Okänt uppföljningstillfälle."),
                }
            ],
        )
    return found, unit


def _entry(user, followup_id: int) -> FollowUp:
    """The entry, when the caller may read its unit's follow-up (else 404)."""
    entry = get_object_or_404(visible_followups(user), pk=followup_id)
    if not can(user, Perm.VIEW, entry.unit_id):  # a published åtgärd's entry, say
        raise _not_readable()
    return entry


def _may_comment_entry(user, followup_id: int) -> None:
    entry = _entry(user, followup_id)
    if not dialogue.may_post(user, entry.unit_id):
        dialogue.ensure_may_post(user, entry.period, entry.unit_id)


def _may_comment_report(user, period_id: int, unit_id: int) -> None:
    period, unit = _period_unit(user, period_id, unit_id)
    if not dialogue.may_post(user, unit.pk):
        dialogue.ensure_may_post(user, period, unit.pk)


def _may_copy(user, period_id: int, unit_id: int) -> None:
    _period, unit = _period_unit(user, period_id, unit_id)
    if not can(user, Perm.REPORT, unit):
        raise PermissionDenied(_("Du får inte skriva enhetens uppföljning."))


@entries_router.get(
    "/{followup_id}/comments",
    response=answers(200, CommentPage, *READ),
    summary="Dialogen om en uppföljning",
    description="Kommentarerna i granskningen av uppföljningen, äldst först.",
)
def list_entry_comments(request, page: Query[PageParams], followup_id: int = PathId()):
    entry = _entry(caller(request), followup_id)
    comments = entry.review_comments.select_related("author").order_by("created_at", "pk")
    return paginate(comments, page)


@entries_router.post(
    "/{followup_id}/comments",
    auth=allowed(_may_comment_entry),
    response=answers(201, ReviewCommentOut, *WRITE),
    summary="Kommentera en uppföljning",
    description="För dem som skriver eller granskar enhetens uppföljning. Kommentarer kan "
    "inte ändras eller tas bort. Stängt uppföljningstillfälle: 409 (period_closed).",
)
def add_entry_comment(request, payload: ReviewCommentIn, followup_id: int = PathId()):
    user = writer(request)
    entry = _entry(user, followup_id)
    return Status(201, dialogue.comment_on_entry(entry, actor=user, text=payload.text))


@router.get(
    "/{period_id}/units/{unit_id}/comments",
    response=answers(200, CommentPage, *READ),
    summary="Dialogen om en enhets rapport",
    description="Kommentarerna om enhetens rapport för perioden, äldst först, med "
    "granskarens kommentarer när rapporten återfördes (return) eller godkändes (approval).",
)
def list_report_comments(
    request, page: Query[PageParams], period_id: int = PathId(), unit_id: int = PathId()
):
    period, unit = _period_unit(caller(request), period_id, unit_id)
    return paginate(dialogue.report_thread(unit, period), page)


@router.post(
    "/{period_id}/units/{unit_id}/comments",
    auth=allowed(_may_comment_report),
    response=answers(201, ReviewCommentOut, *WRITE),
    summary="Kommentera en enhets rapport",
    description="För dem som skriver eller granskar enhetens uppföljning. En rapport man "
    "inte får läsa: 404. Stängt uppföljningstillfälle: 409 (period_closed).",
)
def add_report_comment(
    request, payload: ReviewCommentIn, period_id: int = PathId(), unit_id: int = PathId()
):
    user = writer(request)
    period, unit = _period_unit(user, period_id, unit_id)
    return Status(201, dialogue.comment_on_report(unit, period, actor=user, text=payload.text))


@router.post(
    "/{period_id}/units/{unit_id}/copy-forward",
    auth=allowed(_may_copy),
    response=answers(200, CopyForwardOut, *WRITE),
    summary="Hämta texter från förra perioden",
    description="Varje uppföljning utan text får texten från samma objekts uppföljning i "
    "den senaste tidigare perioden som har en, markerad med copied_from_id tills någon "
    "ändrar texten. Stängt tillfälle: 409 (period_closed); inlämnad eller godkänd rapport: "
    "409 (report_locked).",
)
def copy_forward(request, period_id: int = PathId(), unit_id: int = PathId()):
    user = writer(request)
    period, unit = _period_unit(user, period_id, unit_id)
    require(user, Perm.REPORT, unit)
    result = carry.copy_forward(unit, period, actor=user)
    copied = visible_followups(user).filter(pk__in=[entry.pk for entry in result.copied])
    return {
        "copied": list(copied.order_by("pk")),
        "not_yours": result.not_yours,
        "without_earlier": result.without_earlier,
    }
