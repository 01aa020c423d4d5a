"""The plan as one document tree, read in a fixed number of queries.

Pages, exports and reports all lay a plan out from ``plan_document(plan)``: every kind of
object is fetched once for the whole plan and hung on its parent in Python, so the cost
does not grow with the number of goals (the plan page's query count is tested).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from .models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    Perspective,
    Plan,
    Section,
    Strategy,
)


@dataclass
class Node:
    """One object of the plan with its children, in document order."""

    kind: str  # section | perspective | focus_area | strategy | goal | activity | assignment
    obj: Any
    children: list["Node"] = field(default_factory=list)
    # Other modules' content shown inside this node, e.g. a budget table in its section.
    attachments: list[Any] = field(default_factory=list)
    level: int = 2  # heading level on a page: top-level blocks are h2

    @property
    def heading_tag(self) -> str:
        return f"h{min(self.level, 6)}"

    def of_kind(self, kind: str) -> list["Node"]:
        return [child for child in self.children if child.kind == kind]

    @property
    def goals(self) -> list["Node"]:
        return self.of_kind("goal")

    @property
    def strategies(self) -> list["Node"]:
        return self.of_kind("strategy")

    @property
    def sections(self) -> list["Node"]:
        return self.of_kind("section")

    @property
    def activities(self) -> list["Node"]:
        return self.of_kind("activity")

    @property
    def assignments(self) -> list["Node"]:
        return self.of_kind("assignment")


@dataclass
class PlanDocument:
    plan: Plan
    blocks: list[Node]
    goals: list[Goal]

    def walk(self):
        """Every node, depth first in document order."""
        stack = list(reversed(self.blocks))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def outline(self) -> list[Node]:
        """Top-level blocks, for a table of contents."""
        return self.blocks


def _parent_key(obj: Any) -> tuple[str, int] | None:
    for attr, kind in (
        ("strategy_id", "strategy"),
        ("section_id", "section"),
        ("focus_area_id", "focus_area"),
        ("perspective_id", "perspective"),
    ):
        value = getattr(obj, attr, None)
        if value:
            return (kind, value)
    return None


def plan_document(plan: Plan, user=None) -> PlanDocument:
    """The plan as a tree; with ``user``, the cascade to and from other plans shows only
    plans that ``user`` may read and that are not replaced by a newer version."""
    related = Goal.objects.select_related("plan__unit")
    if user is not None:
        from uppsikt.plans.queries import current_plans

        related = related.filter(plan__in=current_plans(user))
    goal_qs = (
        Goal.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("target__definition").order_by(
                    "position"
                ),
            ),
            "assessments",
            Prefetch("contributes_to", queryset=related),
            Prefetch("contributions", queryset=related),
        )
        .order_by("position")
    )
    parts: list[tuple[str, Any]] = []
    for kind, queryset in (
        ("perspective", Perspective.objects.filter(plan=plan)),
        ("focus_area", FocusArea.objects.filter(plan=plan)),
        ("section", Section.objects.filter(plan=plan)),
        ("strategy", Strategy.objects.filter(plan=plan)),
        ("goal", goal_qs),
        ("assignment", Assignment.objects.filter(plan=plan).select_related("responsible")),
        ("activity", Activity.objects.filter(plan=plan).select_related("responsible")),
    ):
        for obj in queryset:
            obj.plan = plan  # every part is of this plan: spare a query per part
            parts.append((kind, obj))

    parts.sort(key=lambda item: item[1].position)
    nodes = {(kind, obj.pk): Node(kind, obj) for kind, obj in parts}
    children: dict[tuple[str, int], list[Node]] = defaultdict(list)
    blocks: list[Node] = []
    for kind, obj in parts:
        node = nodes[(kind, obj.pk)]
        parent = _parent_key(obj)
        if parent is None or parent not in nodes:
            blocks.append(node)
        else:
            children[parent].append(node)
    for key, node in nodes.items():
        node.children = children.get(key, [])

    def set_levels(level_nodes: list[Node], level: int) -> None:
        for node in level_nodes:
            node.level = level
            set_levels(node.children, level + 1)

    set_levels(blocks, 2)
    goals = [obj for kind, obj in parts if kind == "goal"]
    return PlanDocument(plan=plan, blocks=blocks, goals=goals)
