"""Breaking a goal of the plan above down into a new goal of a unit's own plan.

``break_down_goal`` adds the goal (``parts.add_part``) and links it to the goal above
(``cascade.link_goal``) in one transaction: two audit events in the plan's history, or, when
either is refused, nothing at all. The goal's kind follows the unit's level unless the
caller chooses (``levels.default_goal_kind``): the styrmodell's level for the unit's kind
(Region Örebro län: fullmäktige writes effektmål, a nämnd nämndmål, every unit beneath mål).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.lib.problems import refusal
from uppsikt.lib.typing import Actor

from ..levels import default_goal_kind
from ..models import Goal, Plan
from ..rules import ensure_editable
from .cascade import link_goal
from .parts import add_part


def _ensure_broken_down_here(plan: Plan, goal_above: Goal) -> None:
    above = goal_above.plan
    if above.unit_id != plan.unit.parent_id or above.year != plan.year:
        raise refusal(
            "goal", _("Målet hör inte till planen för enheten ovanför samma år."), "not_above"
        )


@transaction.atomic
def break_down_goal(
    plan: Plan, goal_above: Goal, *, actor: Actor, text: str, kind: str = ""
) -> Goal:
    """A new goal last in ``plan`` that contributes to ``goal_above`` (a goal of the plan of
    the unit above, same year); ``kind`` defaults to the unit's (``default_goal_kind``)."""
    require(actor, Perm.PLAN, plan)
    ensure_editable(plan)
    _ensure_broken_down_here(plan, goal_above)
    goal = add_part(plan, "goal", actor=actor, text=text, kind=kind or default_goal_kind(plan.unit))
    assert isinstance(goal, Goal)
    link_goal(goal, goal_above, actor=actor)
    return goal
