"""Every change to a plan goes through a function here, inside one transaction.

A decided plan is not changed here: every action refuses it (``versions.ensure_editable``);
``versions.revise_plan`` starts a new version and ``versions.decide_plan`` decides one.

A goal, each of its indicators and each plan text carry a ``row_version``
(``lib.concurrency``): the actions take the version their caller read and refuse a change
to a row saved since (``EditConflict``). A goal's version also moves when its indicator list
changes, since the goal as the API shows it holds them.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import snapshot
from uppsikt.lib import richtext
from uppsikt.lib.concurrency import EditConflict, bump, check_version
from uppsikt.lib.typing import Actor
from uppsikt.plans.actions.versions import decide_plan, revise_plan
from uppsikt.plans.rules import ensure_editable

from ..levels import kind_problems
from ..models import Goal, Indicator, Section
from ..trail import record_in_plan
from .parts import update_part

__all__ = ["IndicatorChange", "decide_plan", "revise_plan", "update_goal", "update_section"]

GOAL_FIELDS = ("kind", "number", "text", "description")


@dataclass(frozen=True)
class IndicatorChange:
    """One row of the goal form's indicator list: an existing indicator or a new one.

    ``text`` None keeps an existing indicator's text (it only keeps its place in the list);
    ``expected_version`` is the indicator's ``row_version`` when the caller read it."""

    indicator: Indicator | None
    text: str | None
    delete: bool = False
    expected_version: int | None = None


@transaction.atomic
def update_goal(
    goal: Goal,
    *,
    actor: Actor,
    indicators: list[IndicatorChange] | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Goal:
    """Change a goal's own fields and, if given, its indicators, all or nothing.

    Indicators keep their identity (later modules hang target rules and values on them):
    an edited text updates the same row, a deleted one is removed, new ones go last. Only
    the fields given are written.

    ``expected_version`` is the goal's ``row_version`` when the caller read it, and each
    ``IndicatorChange.expected_version`` its indicator's: a change to a row saved since is
    refused with ``EditConflict`` and nothing is changed.

    >>> update_goal(goal, actor=user, text="Länets invånare har en god hälsa.")
    """
    require(actor, Perm.PLAN, goal)
    ensure_editable(goal.plan)
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"update_goal() got unexpected fields: {sorted(unknown)}")
    # Read "before" from the database: a ModelForm has already written its values onto
    # ``goal`` by the time it is valid, so the instance no longer shows what was stored.
    stored = Goal.objects.select_for_update().get(pk=goal.pk)
    before = _goal_state(stored)
    for name, value in changes.items():
        setattr(stored, name, richtext.clean(value, field=name) if name == "description" else value)
    stored.full_clean()
    level = kind_problems(stored.kind, stored.plan.unit)  # the styrmodell's levels
    if level:
        raise ValidationError({"kind": level})
    check_version(stored.row_version, expected_version, name=stored.label, obj=stored)
    touched = [name for name in changes if before[name] != snapshot(stored, [name])[name]]
    if indicators is not None and _apply_indicator_changes(stored, indicators):
        touched.append("indicators")
    if touched:
        bump(stored)
        stored.save(update_fields=[*changes, "row_version"])
        goal.plan.save(update_fields=["updated_at"])
    for name in (*changes, "row_version"):
        setattr(goal, name, getattr(stored, name))
    after = _goal_state(stored)
    if after != before:
        record_in_plan(
            goal.plan_id, actor=actor, action="goal.update", obj=goal, before=before, after=after
        )
    return goal


def _goal_state(goal: Goal) -> dict[str, Any]:
    state = snapshot(goal, GOAL_FIELDS)
    state["indicators"] = list(goal.indicators.order_by("position").values_list("text", flat=True))
    return state


def _apply_indicator_changes(goal: Goal, rows: list[IndicatorChange]) -> bool:
    """Write the indicator rows in their order; True when the list changed."""
    changed = False
    position = 0
    for row in rows:
        indicator = row.indicator
        if indicator is not None:
            if indicator.goal_id != goal.pk:
                raise PermissionDenied("Indikatorn hör till ett annat mål.")
            indicator = _locked_indicator(indicator, row)
        if row.delete:
            if indicator is not None:
                indicator.delete()
                changed = True
            continue
        if indicator is None:
            indicator = Indicator(goal=goal)
        text = indicator.text if row.text is None else row.text
        if indicator.pk is not None and indicator.text == text and indicator.position == position:
            position += 1
            continue  # untouched: not written
        if indicator.pk is not None and indicator.text != text:
            bump(indicator)
        indicator.text, indicator.position = text, position
        indicator.full_clean()
        indicator.save()
        changed = True
        position += 1
    return changed


def _locked_indicator(indicator: Indicator, row: IndicatorChange) -> Indicator:
    """The indicator as stored, locked; refused when a change to it comes from a stale read."""
    stored = Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if stored is None:
        raise EditConflict(
            _("Indikatorn ”%(name)s” har tagits bort av någon annan.") % {"name": indicator.text},
            current=0,
            obj=indicator,
        )
    if row.delete or (row.text is not None and row.text != stored.text):
        check_version(stored.row_version, row.expected_version, name=stored.text, obj=stored)
    return stored


SECTION_FIELDS = ("number", "heading", "body")


def update_section(
    section: Section, *, actor: Actor, expected_version: int | None = None, **changes: Any
) -> Section:
    """Change a plan text (avsnitt): its number, heading and text. Refused in a decided plan
    (``PlanIsDecided``): revise the plan first; and, with ``expected_version`` (its
    ``row_version`` when the caller read it), when it has been saved since
    (``EditConflict``). Audited. (``parts.update_part`` for sections, limited to these
    fields.)"""
    unknown = set(changes) - set(SECTION_FIELDS)
    if unknown:
        raise TypeError(f"update_section() got unexpected fields: {sorted(unknown)}")
    stored = update_part(section, actor=actor, expected_version=expected_version, **changes)
    assert isinstance(stored, Section)
    return stored
