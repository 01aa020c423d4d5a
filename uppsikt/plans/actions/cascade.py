"""The cascade between plans: a goal "bidrar till" a goal of the plan above, or the unit
answers that a goal above "berör inte enheten".

A link is refused when the goal above belongs to another organisation, to a later year than
the goal's plan, to the same plan, or when it would close a loop (the goal above already
contributes, directly or through others, to the goal). Each refusal names the field with a
machine-readable code (``other_organisation``, ``same_plan``, ``later_year``, ``loop``,
``not_above``, ``reason_required``, ``already_linked``). Each call is one audit event in the
plan's history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.lib.problems import coded, refusal
from uppsikt.lib.typing import Actor

from ..models import Activity, Goal, GoalExemption, Plan
from ..rules import ensure_editable
from ..trail import record_in_plan


def link_problems(goal: Goal, target: Goal) -> list[str]:
    """Why ``goal`` may not contribute to ``target``; empty when it may."""
    return [str(problem.message) for problem in _link_refusals(goal, target)]


def _link_refusals(goal: Goal, target: Goal) -> list[ValidationError]:
    """``link_problems`` with their codes: ``other_organisation``, ``same_plan``,
    ``later_year``, ``loop``."""
    plan, above = goal.plan, target.plan
    if above.unit.organisation_id != plan.unit.organisation_id:
        return [coded(_("Målet ovanför hör till en annan organisation."), "other_organisation")]
    if above.pk == plan.pk:
        return [coded(_("Ett mål kan inte bidra till ett mål i samma plan."), "same_plan")]
    if above.year > plan.year:
        message = _("Målet ovanför hör till ett senare år (%(year)s).") % {"year": above.year}
        return [coded(message, "later_year")]
    if target.pk == goal.pk or _reaches(target, goal):
        return [
            coded(
                _("Kopplingen skulle bilda en slinga: målet ovanför bidrar redan till målet."),
                "loop",
            )
        ]
    return []


def _reaches(start: Goal, wanted: Goal) -> bool:
    """Whether ``start`` contributes to ``wanted`` through any chain of links."""
    links = Goal.contributes_to.through.objects
    seen: set[int] = set()
    frontier = {start.pk}
    while frontier:
        if wanted.pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(links.filter(from_goal_id__in=frontier).values_list("to_goal_id", flat=True)) - seen
        )
    return False


@transaction.atomic
def link_goal(goal: Goal, target: Goal, *, actor: Actor) -> bool:
    """Record that ``goal`` contributes to ``target`` (a goal above); False if it already did.
    Answering a goal above with a link withdraws a "berör inte" answer to it."""
    require(actor, Perm.PLAN, goal)
    ensure_editable(goal.plan)
    problems = _link_refusals(goal, target)
    if problems:
        raise ValidationError({"contributes_to": problems})
    if goal.contributes_to.filter(pk=target.pk).exists():
        return False
    goal.contributes_to.add(target)
    GoalExemption.objects.filter(plan=goal.plan, goal=target).delete()
    record_in_plan(
        goal.plan,
        actor=actor,
        action="goal.link",
        obj=goal,
        after={"contributes_to": target.pk, "label": str(target)[:200]},
    )
    return True


@transaction.atomic
def unlink_goal(goal: Goal, target: Goal, *, actor: Actor) -> bool:
    require(actor, Perm.PLAN, goal)
    ensure_editable(goal.plan)
    if not goal.contributes_to.filter(pk=target.pk).exists():
        return False
    goal.contributes_to.remove(target)
    record_in_plan(
        goal.plan,
        actor=actor,
        action="goal.unlink",
        obj=goal,
        before={"contributes_to": target.pk, "label": str(target)[:200]},
    )
    return True


@transaction.atomic
def set_activity_goals(activity: Activity, goals: list[Goal], *, actor: Actor) -> None:
    """The goals an aktivitet serves: goals of its own plan or of a plan above."""
    require(actor, Perm.PLAN, activity)
    ensure_editable(activity.plan)
    plan = activity.plan
    for goal in goals:
        if goal.plan_id == plan.pk:
            continue
        if goal.plan.unit.organisation_id != plan.unit.organisation_id:
            code = "other_organisation"
        elif goal.plan.year > plan.year:
            code = "later_year"
        else:
            continue
        raise refusal(
            "contributes_to", _("Välj mål i planen eller i en plan ovanför samma år."), code
        )
    before = sorted(activity.contributes_to.values_list("pk", flat=True))
    after = sorted(goal.pk for goal in goals)
    if before == after:
        return
    activity.contributes_to.set(goals)
    record_in_plan(
        plan,
        actor=actor,
        action="activity.goals",
        obj=activity,
        before={"contributes_to": before},
        after={"contributes_to": after},
    )


def _ensure_goal_above(plan: Plan, goal: Goal) -> None:
    above = goal.plan
    if above.unit.organisation_id != plan.unit.organisation_id or above.year != plan.year:
        raise refusal(
            "goal",
            _("Målet hör inte till en plan ovanför för samma år och organisation."),
            "not_above",
        )
    if above.pk == plan.pk:
        raise refusal("goal", _("Målet hör till samma plan."), "same_plan")


@transaction.atomic
def exempt_goal(plan: Plan, goal: Goal, *, actor: Actor, reason: str) -> GoalExemption:
    """Answer ``goal`` (of a plan above) with "berör inte enheten" and why. Refused while a
    goal of ``plan`` contributes to it: remove that link first."""
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    _ensure_goal_above(plan, goal)
    reason = (reason or "").strip()
    if not reason:
        raise refusal("reason", _("Ange varför målet inte berör enheten."), "reason_required")
    if Goal.objects.filter(plan=plan, contributes_to=goal).exists():
        raise refusal(
            "goal",
            _("Ett mål i planen bidrar redan till målet; ta bort kopplingen först."),
            "already_linked",
        )
    exemption, _created = GoalExemption.objects.update_or_create(
        plan=plan, goal=goal, defaults={"reason": reason}
    )
    record_in_plan(
        plan,
        actor=actor,
        action="goal.exempt",
        obj=exemption,
        after={"goal": goal.pk, "label": str(goal)[:200], "reason": reason},
    )
    return exemption


@transaction.atomic
def withdraw_exemption(exemption: GoalExemption, *, actor: Actor) -> None:
    require(actor, Perm.PLAN, exemption.plan)
    ensure_editable(exemption.plan)
    record_in_plan(
        exemption.plan,
        actor=actor,
        action="goal.unexempt",
        obj=exemption,
        before={"goal": exemption.goal_id, "reason": exemption.reason},
    )
    exemption.delete()
