"""The cascade between plans, through ``plans.actions.cascade`` as on the web: a goal "bidrar
till" a goal of a plan above (``/goals/{goal_id}/contributes-to/{target_id}``), and a unit's
answer "berör inte enheten" to a goal above (``/plans/{plan_id}/exemptions``).

A link is refused (409, naming ``contributes_to``) to a goal of another organisation, of a
later year, of the same plan, or when it would close a loop.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from uppsikt.accounts.access import Perm, require
from uppsikt.plans.actions import cascade
from uppsikt.plans.models import Goal, GoalExemption, Plan
from uppsikt.plans.rules import ensure_editable

from .auth import allowed, caller, writer
from .errors import unknown
from .goals import GoalOut, visible_goals
from .pagination import PageParams, page_of, paginate
from .schemas import INPUT, READ, WRITE, Id, PathId, Text, answers

router = Router(tags=["Mål"])
exemptions_router = Router(tags=["Planer"])


def _may_link(user, goal_id: int, target_id: int) -> None:
    goal = get_object_or_404(visible_goals(user), pk=goal_id)
    require(user, Perm.PLAN, goal)
    ensure_editable(goal.plan)
    get_object_or_404(visible_goals(user), pk=target_id)


def _pair(user, goal_id: int, target_id: int) -> tuple[Goal, Goal]:
    goals = visible_goals(user)
    return get_object_or_404(goals, pk=goal_id), get_object_or_404(goals, pk=target_id)


@router.post(
    "/{goal_id}/contributes-to/{target_id}",
    auth=allowed(_may_link),
    response=answers(200, GoalOut, *WRITE),
    summary="Koppla ett mål till ett mål ovanför",
    description="Målet bidrar till target (”bidrar till”). Ett svar ”berör inte enheten” på "
    "målet ovanför tas då tillbaka. Ett mål i en annan organisation, i samma plan, för ett "
    "senare år eller en koppling som skulle bilda en slinga: 409. Redan kopplat: 200, "
    "ingenting ändras.",
)
def link_goal(request, goal_id: int = PathId(), target_id: int = PathId()):
    user = writer(request)
    goal, target = _pair(user, goal_id, target_id)
    cascade.link_goal(goal, target, actor=user)
    return visible_goals(user).get(pk=goal.pk)


@router.delete(
    "/{goal_id}/contributes-to/{target_id}",
    auth=allowed(_may_link),
    response=answers(200, GoalOut, *WRITE),
    summary="Ta bort kopplingen till ett mål ovanför",
    description="Fanns ingen koppling: 200, ingenting ändras.",
)
def unlink_goal(request, goal_id: int = PathId(), target_id: int = PathId()):
    user = writer(request)
    goal, target = _pair(user, goal_id, target_id)
    cascade.unlink_goal(goal, target, actor=user)
    return visible_goals(user).get(pk=goal.pk)


# -- "berör inte enheten" -----------------------------------------------------------------------


class ExemptionIn(Schema):
    model_config = INPUT
    goal: Id = Field(..., description="Målet ovanför: i en plan för samma år och organisation.")
    reason: str = Text(..., max_length=5000, required=True, description="Varför det inte berör.")


class ExemptionOut(Schema):
    id: int
    plan_id: int
    goal_id: int = Field(description="Målet ovanför som svaret gäller.")
    goal_label: str
    reason: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_goal_label(obj: GoalExemption) -> str:
        return str(obj.goal)


ExemptionPage = page_of(ExemptionOut, "ExemptionPage")


def _visible_plan(user, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user), pk=plan_id)


def _may_answer(user, plan_id: int, **_exemption_id: int) -> None:
    plan = _visible_plan(user, plan_id)
    require(user, Perm.PLAN, plan)
    ensure_editable(plan)


@exemptions_router.get(
    "/{plan_id}/exemptions",
    response=answers(200, ExemptionPage, *READ),
    summary="Mål ovanför som inte berör enheten",
)
def list_exemptions(request, page: Query[PageParams], plan_id: int = PathId()):
    plan = _visible_plan(caller(request), plan_id)
    exemptions = GoalExemption.objects.filter(plan=plan).select_related("goal")
    return paginate(exemptions.order_by("goal__position", "pk"), page)


@exemptions_router.post(
    "/{plan_id}/exemptions",
    auth=allowed(_may_answer),
    response=answers(201, ExemptionOut, *WRITE),
    summary="Svara att ett mål ovanför inte berör enheten",
    description="Med skäl. Ett mål som inte hör till en plan ovanför för samma år, eller som "
    "ett mål i planen redan bidrar till: 409. Ett nytt svar på samma mål ersätter skälet.",
)
def exempt_goal(request, payload: ExemptionIn, plan_id: int = PathId()):
    user = writer(request)
    plan = _visible_plan(user, plan_id)
    goal = Goal.objects.filter(plan__in=Plan.objects.visible_to(user), pk=payload.goal).first()
    if goal is None:
        raise unknown("goal", _("Okänt mål."))
    exemption = cascade.exempt_goal(plan, goal, actor=user, reason=payload.reason)
    return Status(201, exemption)


@exemptions_router.delete(
    "/{plan_id}/exemptions/{exemption_id}",
    auth=allowed(_may_answer),
    response=answers(204, None, *WRITE),
    summary="Ta tillbaka ett svar ”berör inte enheten”",
)
def withdraw_exemption(request, plan_id: int = PathId(), exemption_id: int = PathId()):
    user = writer(request)
    exemption = get_object_or_404(
        GoalExemption.objects.filter(plan__in=Plan.objects.visible_to(user)),
        plan_id=plan_id,
        pk=exemption_id,
    )
    cascade.withdraw_exemption(exemption, actor=user)
    return Status(204, None)
