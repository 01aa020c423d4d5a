"""A plan's beredning and history: the comments kept with a draft (``plans.actions.authoring
.add_comment``) and every change to the plan and its content (``plans.trail.plan_history``).

Both are for those who may read the plan's drafts (the unit's roles), for a decided plan
too: the public reads the decided plan, not its beredning or who changed what.
"""

import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import EVERYWHERE, Perm, require, units_with
from uppsikt.audit import vocabulary
from uppsikt.audit.models import AuditEvent
from uppsikt.plans.actions import authoring
from uppsikt.plans.actions.parts import MODELS
from uppsikt.plans.models import Plan, PlanComment
from uppsikt.plans.rules import ensure_editable
from uppsikt.plans.trail import plan_history

from .auth import allowed, caller, writer
from .errors import unknown
from .pagination import PageParams, filtered, page_of, paginate
from .parts import KINDS, Kind, PartRef
from .schemas import INPUT, READ, WRITE, Id, PathId, Text, answers

router = Router(tags=["Beredning"])


class SubjectIn(Schema):
    model_config = INPUT
    kind: Kind = Field(..., description="Objektets slag.")
    id: Id


class CommentIn(Schema):
    model_config = INPUT
    body: str = Text(..., max_length=authoring.MAX_COMMENT, required=True)
    subject: SubjectIn | None = Field(
        None, description="Objektet i planen som kommentaren gäller; null: planen som helhet."
    )


class PlanCommentOut(Schema):
    id: int
    plan_id: int
    subject: PartRef | None = Field(description="null: planen som helhet.")
    subject_label: str = Field(description="Objektet som det hette när kommentaren skrevs.")
    author_name: str
    body: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_subject(obj: PlanComment) -> dict[str, Any] | None:
        if not obj.subject_type:
            return None
        return {"kind": obj.subject_type, "id": obj.subject_id}


class CommentFilters(Schema):
    kind: Kind | None = Field(None, description="Bara kommentarer om objekt av det slaget.")
    subject: Id | None = Field(None, description="Bara kommentarer om objektet med detta id.")


class PlanEventOut(Schema):
    sequence: int = Field(description="Händelsens löpnummer i ändringsloggen.")
    occurred_at: datetime.datetime
    action: str = Field(description="Vad som hände, t.ex. goal.update.")
    label: str = Field(description="Vad som hände, på svenska.")
    actor_name: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = Field(description="Fälten före ändringen (null: inga).")
    after: Any = Field(description="Fälten efter ändringen (null: inga).")
    reason: str

    @staticmethod
    def resolve_label(obj: AuditEvent) -> str:
        return vocabulary.label(obj.action)


CommentPage = page_of(PlanCommentOut, "PlanCommentPage")
PlanEventPage = page_of(PlanEventOut, "PlanEventPage")


def _readable_plan(user, plan_id: int) -> Plan:
    """The plan, if the caller may read its beredning and history (404: not visible; 403:
    visible, as a decided plan is to everyone, but not its drafts' readers)."""
    plan = get_object_or_404(Plan.objects.visible_to(user), pk=plan_id)
    require(user, Perm.VIEW, plan)
    return plan


def _may_comment(user, plan_id: int) -> None:
    ensure_editable(_readable_plan(user, plan_id))


def _subject(plan: Plan, subject: SubjectIn | None) -> Model | None:
    if subject is None:
        return None
    model = MODELS[subject.kind]
    path = "goal__plan" if subject.kind == "indicator" else "plan"
    found = model._default_manager.filter(**{path: plan}, pk=subject.id).first()
    if found is None:
        raise unknown("subject", _("Planen har inget sådant objekt."))
    return found


@router.get(
    "/{plan_id}/comments",
    response=answers(200, CommentPage, 403, *READ),
    summary="Beredningens kommentarer",
    description="Äldst först. Med kind och subject en tråd: kommentarerna om ett objekt. "
    "Slagen: " + ", ".join(KINDS) + ".",
)
def list_comments(
    request, page: Query[PageParams], filters: Query[CommentFilters], plan_id: int = PathId()
):
    plan = _readable_plan(caller(request), plan_id)
    comments = PlanComment.objects.filter(plan=plan).order_by("created_at", "pk")
    lookups = {"kind": "subject_type", "subject": "subject_id"}
    return paginate(filtered(comments, filters, lookups), page)


@router.post(
    "/{plan_id}/comments",
    auth=allowed(_may_comment),
    response=answers(201, PlanCommentOut, *WRITE),
    summary="Kommentera ett utkast",
    description="Alla som får läsa utkastet kan kommentera, planen eller ett objekt i den. "
    "En beslutad plan tar inga kommentarer (409).",
)
def add_plan_comment(request, payload: CommentIn, plan_id: int = PathId()):
    user = writer(request)
    plan = _readable_plan(user, plan_id)
    comment = authoring.add_comment(
        plan, actor=user, body=payload.body, subject=_subject(plan, payload.subject)
    )
    return Status(201, comment)


def _events(user, plan: Plan) -> QuerySet[AuditEvent]:
    """The plan's events that ``user`` may read (as ``history.queries.visible_events``)."""
    events = plan_history(plan)
    allowed_units = units_with(user, Perm.VIEW)
    if allowed_units is EVERYWHERE:
        return events
    return events.filter(unit_id__in=sorted(allowed_units))


@router.get(
    "/{plan_id}/history",
    response=answers(200, PlanEventPage, 403, *READ),
    summary="Planens historik",
    description="Varje ändring av planen och dess innehåll, den senaste först: en händelse "
    "per ändring, med fälten före och efter.",
)
def plan_events(request, page: Query[PageParams], plan_id: int = PathId()):
    user = caller(request)
    plan = _readable_plan(user, plan_id)
    return paginate(_events(user, plan), page)
