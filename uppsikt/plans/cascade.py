"""The cascade of one organisation's plans for one year, read only: from fullmäktige down
through every unit, which goals each unit's plan holds and how the units below answered
each of them.

A unit below answers a goal of the plan above by breaking it down (goals of its own plan
"bidrar till" it), or with "berör inte enheten" and a reason (``GoalExemption``); until then
the goal is not answered by it. ``cascade(organisation, year, user)`` reads it all in a
fixed number of queries, whatever the size of the organisation:

    >>> tree = cascade(region, 2024, user)
    >>> [(node.unit.name, len(node.goals)) for node in tree.units]
    [('Regionfullmäktige', 8), ('Regionstyrelsen', 12), ...]
    >>> tree.units[0].goals[0].broken_down[0].unit.name
    'Regionstyrelsen'

Each unit's plan is its current version for the year (``queries.current_versions``: the
version in force, or before any decision the newest draft) as ``user`` may read it: a unit
whose draft the user may not read shows as having no plan yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from uppsikt.organisations.models import Organisation, Unit

from .models import Goal, GoalExemption, Plan
from .queries import current_versions

BROKEN_DOWN, EXEMPT, UNANSWERED, NO_PLAN = "nedbrutet", "beror_inte", "obesvarat", "ingen_plan"
STATUS_LABELS: dict[str, Any] = {
    BROKEN_DOWN: _("Nedbrutet"),
    EXEMPT: _("Berör inte enheten"),
    UNANSWERED: _("Inte besvarat"),
    NO_PLAN: _("Ingen plan ännu"),
}


@dataclass
class Answer:
    """How one unit below answered one goal above."""

    unit: Unit
    plan: Plan | None
    status: str
    goals: list[Goal] = field(default_factory=list)  # its goals that contribute (nedbrutet)
    reason: str = ""  # why the goal does not concern it (berör inte)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class GoalNode:
    goal: Goal
    answers: list[Answer] = field(default_factory=list)  # units below, in the tree's order
    contributes_to: list[Goal] = field(default_factory=list)  # goals above, this year

    def _with(self, status: str) -> list[Answer]:
        return [answer for answer in self.answers if answer.status == status]

    @property
    def broken_down(self) -> list[Answer]:
        return self._with(BROKEN_DOWN)

    @property
    def exempted(self) -> list[Answer]:
        return self._with(EXEMPT)

    @property
    def unanswered(self) -> list[Answer]:
        """Units below with a plan that has not answered, then those with no plan yet."""
        return self._with(UNANSWERED) + self._with(NO_PLAN)


@dataclass
class UnitNode:
    unit: Unit
    depth: int  # 0 for a root unit
    plan: Plan | None
    goals: list[GoalNode] = field(default_factory=list)
    children: list[UnitNode] = field(default_factory=list)
    parent_has_plan: bool = False


@dataclass
class Cascade:
    organisation: Organisation
    year: int
    units: list[UnitNode]  # every unit, root first, each followed by the units beneath it

    @property
    def plans(self) -> list[Plan]:
        return [node.plan for node in self.units if node.plan is not None]

    @property
    def unlinked(self) -> list[tuple[UnitNode, GoalNode]]:
        """Goals of plans whose unit above has a plan this year that contribute to no goal
        of this year's plans."""
        return [
            (node, goal)
            for node in self.units
            if node.plan is not None and node.parent_has_plan
            for goal in node.goals
            if not goal.contributes_to
        ]

    def counts(self) -> dict[str, int]:
        """Answers by status over every goal that has units below."""
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for node in self.units:
            for goal in node.goals:
                for answer in goal.answers:
                    counts[answer.status] += 1
        return counts


def year_plans(organisation: Organisation, year: int, user: Any):
    """The current plan of each unit of ``organisation`` for ``year`` that ``user`` may read."""
    return (
        Plan.objects.visible_to(user)
        .filter(unit__organisation=organisation, year=year, pk__in=current_versions())
        .select_related("unit")
        .with_superseded()
    )


def cascade(organisation: Organisation, year: int, user: Any) -> Cascade:
    """The organisation's units with their plans for ``year`` and every goal's answers."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("position", "name"))
    plans = {plan.unit_id: plan for plan in year_plans(organisation, year, user)}
    plan_ids = [plan.pk for plan in plans.values()]
    goals_by_plan: dict[int, list[Goal]] = defaultdict(list)
    goals: dict[int, Goal] = {}
    for goal in Goal.objects.filter(plan_id__in=plan_ids).order_by("position", "pk"):
        goals_by_plan[goal.plan_id].append(goal)
        goals[goal.pk] = goal
    by_plan = {plan.pk: plan for plan in plans.values()}
    for goal in goals.values():
        goal.plan = by_plan[goal.plan_id]  # no query per goal for its plan or unit
    links = list(
        Goal.contributes_to.through.objects.filter(
            from_goal_id__in=list(goals), to_goal_id__in=list(goals)
        ).values_list("from_goal_id", "to_goal_id")
    )
    exemptions = {
        (plan_id, goal_id): reason
        for plan_id, goal_id, reason in GoalExemption.objects.filter(
            plan_id__in=plan_ids, goal_id__in=list(goals)
        ).values_list("plan_id", "goal_id", "reason")
    }
    nodes = _tree(units, plans, goals_by_plan)
    _answer(nodes, goals, links, exemptions)
    return Cascade(organisation, year, nodes)


def _tree(
    units: list[Unit], plans: dict[int, Plan], goals_by_plan: dict[int, list[Goal]]
) -> list[UnitNode]:
    """Every unit as a node, root first and each followed by its own units (depth first)."""
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    ordered: list[UnitNode] = []

    def visit(unit: Unit, depth: int, parent: UnitNode | None) -> None:
        plan = plans.get(unit.pk)
        node = UnitNode(
            unit,
            depth,
            plan,
            goals=[GoalNode(goal) for goal in goals_by_plan.get(plan.pk, [])] if plan else [],
            parent_has_plan=parent is not None and parent.plan is not None,
        )
        ordered.append(node)
        if parent is not None:
            parent.children.append(node)
        for child in children.get(unit.pk, []):
            visit(child, depth + 1, node)

    for root in children.get(None, []):
        visit(root, 0, None)
    return ordered


def _answer(
    nodes: list[UnitNode],
    goals: dict[int, Goal],
    links: list[tuple[int, int]],
    exemptions: dict[tuple[int, int], str],
) -> None:
    """Fill in each goal's links upward and each unit below's answer to it."""
    goal_nodes = {goal_node.goal.pk: goal_node for node in nodes for goal_node in node.goals}
    contributions: dict[int, list[Goal]] = defaultdict(list)  # goal above → goals below
    for from_id, to_id in links:
        goal_nodes[from_id].contributes_to.append(goals[to_id])
        contributions[to_id].append(goals[from_id])
    order = {node.unit.pk: index for index, node in enumerate(nodes)}
    node_of = {node.unit.pk: node for node in nodes}
    for node in nodes:
        for goal_node in node.goals:
            by_unit: dict[int, list[Goal]] = defaultdict(list)
            for below in contributions.get(goal_node.goal.pk, []):
                by_unit[below.plan.unit_id].append(below)
            for child in node.children:
                goal_node.answers.append(_answer_of(child, goal_node.goal, by_unit, exemptions))
            # Goals of units further down (or elsewhere) that link straight to this goal.
            children = {child.unit.pk for child in node.children}
            for unit_id in sorted(set(by_unit) - children, key=order.__getitem__):
                other = node_of[unit_id]
                goal_node.answers.append(
                    Answer(other.unit, other.plan, BROKEN_DOWN, by_unit[unit_id])
                )


def _answer_of(
    child: UnitNode,
    goal: Goal,
    by_unit: dict[int, list[Goal]],
    exemptions: dict[tuple[int, int], str],
) -> Answer:
    if child.plan is None:
        return Answer(child.unit, None, NO_PLAN)
    if child.unit.pk in by_unit:
        return Answer(child.unit, child.plan, BROKEN_DOWN, by_unit[child.unit.pk])
    reason = exemptions.get((child.plan.pk, goal.pk))
    if reason is not None:
        return Answer(child.unit, child.plan, EXEMPT, reason=reason)
    return Answer(child.unit, child.plan, UNANSWERED)


# -- one plan's answers to the goals of the plan above ---------------------------------------


@dataclass
class BreakdownRow:
    """A goal of the plan above and how ``plan`` answers it."""

    goal: Goal
    goals: list[Goal] = field(default_factory=list)  # goals of the plan that contribute
    exemption: GoalExemption | None = None

    @property
    def status(self) -> str:
        if self.goals:
            return BROKEN_DOWN
        return EXEMPT if self.exemption is not None else UNANSWERED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Breakdown:
    plan: Plan
    above: Plan | None  # the current plan of the unit above for the same year, if readable
    rows: list[BreakdownRow]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((BROKEN_DOWN, EXEMPT, UNANSWERED), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


def plan_above(plan: Plan, user: Any) -> Plan | None:
    """The plan of the unit above ``plan``'s unit for the same year (its current version)
    as ``user`` may read it; None when there is no unit above or no such plan."""
    if plan.unit.parent_id is None:
        return None
    return (
        Plan.objects.visible_to(user)
        .filter(unit_id=plan.unit.parent_id, year=plan.year, pk__in=current_versions())
        .select_related("unit")
        .first()
    )


def breakdown(plan: Plan, user: Any) -> Breakdown:
    """The goals of the plan above with ``plan``'s answer to each (four queries)."""
    above = plan_above(plan, user)
    if above is None:
        return Breakdown(plan, None, [])
    rows = {goal.pk: BreakdownRow(goal) for goal in Goal.objects.filter(plan=above)}
    own = Goal.objects.filter(plan=plan).in_bulk()
    for row in rows.values():
        row.goal.plan = above
    for goal in own.values():
        goal.plan = plan
    for own_id, above_id in Goal.contributes_to.through.objects.filter(
        from_goal_id__in=list(own), to_goal_id__in=list(rows)
    ).values_list("from_goal_id", "to_goal_id"):
        rows[above_id].goals.append(own[own_id])
    for exemption in GoalExemption.objects.filter(plan=plan, goal_id__in=list(rows)):
        rows[exemption.goal_id].exemption = exemption
    for row in rows.values():
        row.goals.sort(key=lambda goal: (goal.position, goal.pk))
    return Breakdown(plan, above, sorted(rows.values(), key=lambda row: row.goal.position))
