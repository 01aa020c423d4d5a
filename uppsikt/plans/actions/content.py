"""Every change to a plan goes through a function here, inside one transaction.

A decided plan is not changed here: every action refuses it (``versions.ensure_editable``);
``versions.revise_plan`` starts a new version and ``versions.decide_plan`` decides one.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import record, snapshot
from uppsikt.lib.typing import Actor
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.rules import ensure_editable

from ..models import Goal, Indicator, Section

__all__ = ["IndicatorChange", "decide_plan", "revise_plan", "update_goal", "update_section"]

GOAL_FIELDS = ("kind", "number", "text", "description")


@dataclass(frozen=True)
class IndicatorChange:
    """One row of the goal form's indicator list: an existing indicator or a new one."""

    indicator: Indicator | None
    text: str
    delete: bool = False


@transaction.atomic
def update_goal(
    goal: Goal,
    *,
    actor: Actor,
    indicators: list[IndicatorChange] | None = None,
    **changes: Any,
) -> Goal:
    """Change a goal's own fields and, if given, its indicators, all or nothing.

    Indicators keep their identity (later modules hang target rules and values on them):
    an edited text updates the same row, a deleted one is removed, new ones go last.

    >>> update_goal(goal, actor=user, text="Länets invånare har en god hälsa.")
    """
    require(actor, Perm.PLAN, goal)
    ensure_editable(goal.plan)
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"update_goal() got unexpected fields: {sorted(unknown)}")
    # Read "before" from the database: a ModelForm has already written its values onto
    # ``goal`` by the time it is valid, so the instance no longer shows what was stored.
    before = _goal_state(Goal.objects.get(pk=goal.pk))
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save(update_fields=list(changes) or None)
    if indicators is not None:
        _apply_indicator_changes(goal, indicators)
    goal.plan.save(update_fields=["updated_at"])
    after = _goal_state(goal)
    if after != before:
        record(actor=actor, action="goal.update", obj=goal, before=before, after=after)
    return goal


def _goal_state(goal: Goal) -> dict[str, Any]:
    state = snapshot(goal, GOAL_FIELDS)
    state["indicators"] = list(goal.indicators.order_by("position").values_list("text", flat=True))
    return state


def _apply_indicator_changes(goal: Goal, rows: list[IndicatorChange]) -> None:
    position = 0
    for row in rows:
        indicator = row.indicator
        if indicator is not None and indicator.goal_id != goal.pk:
            raise PermissionDenied("Indikatorn hör till ett annat mål.")
        if row.delete:
            if indicator is not None:
                indicator.delete()
            continue
        if indicator is None:
            indicator = Indicator(goal=goal)
        indicator.text = row.text
        indicator.position = position
        indicator.full_clean()
        indicator.save()
        position += 1


SECTION_FIELDS = ("number", "heading", "body")


@transaction.atomic
def update_section(section: Section, *, actor: Actor, **changes: Any) -> Section:
    """Change a plan text (avsnitt): its number, heading and text. Refused in a decided plan
    (``PlanIsDecided``): revise the plan first. Audited."""
    require(actor, Perm.PLAN, section)
    ensure_editable(section.plan)
    unknown = set(changes) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"update_section() got unexpected fields: {sorted(unknown)}")
    section = Section.objects.select_for_update().get(pk=section.pk)
    before = snapshot(section, SECTION_FIELDS)
    for name, value in changes.items():
        setattr(section, name, value)
    section.full_clean()
    after = snapshot(section, SECTION_FIELDS)
    if after != before:
        section.save(update_fields=list(changes))
        section.plan.save(update_fields=["updated_at"])
        record(actor=actor, action="section.update", obj=section, before=before, after=after)
    return section
