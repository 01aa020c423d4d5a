"""What the public site reads of an organisation's plans: only decided plans in force
(``plans.queries.current_versions``, never a draft), their goals grouped by plan and
perspective, each with the status of its latest decided assessment (``status``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from uppsikt.governance.words import Styrmodell, styrmodell_for
from uppsikt.indicators.formatting import format_value
from uppsikt.indicators.models import Assessment, Measurement
from uppsikt.indicators.presentation import period_order
from uppsikt.indicators.wording import period_words
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Activity, Assignment, Goal, Plan, Strategy
from uppsikt.plans.queries import current_versions

from .status import Status, latest_decided, status_of


def _tree_order(organisation: Organisation) -> dict[int, int]:
    """Each unit's place when the tree is read from the top down (fullmäktige first)."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("position", "name"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    order: dict[int, int] = {}
    stack = list(reversed(children.get(None, [])))
    while stack:
        unit = stack.pop()
        order[unit.pk] = len(order)
        stack.extend(reversed(children.get(unit.pk, [])))
    return order


def plans_in_force(organisation: Organisation) -> list[Plan]:
    """Per unit, the decided version in force of its newest year with a decided plan, in
    the order of the unit tree."""
    decided = (
        Plan.objects.filter(
            pk__in=current_versions(),
            status__in=Plan.PUBLISHED_STATUSES,
            unit__organisation=organisation,
        )
        .select_related("unit", "decided_by")
        .order_by("-year")
    )
    newest: dict[int, Plan] = {}
    for plan in decided:
        newest.setdefault(plan.unit_id, plan)
    order = _tree_order(organisation)
    return sorted(newest.values(), key=lambda plan: order.get(plan.unit_id, len(order)))


def has_public_plans(organisation: Organisation) -> bool:
    return Plan.objects.published().filter(unit__organisation=organisation).exists()


@dataclass
class GoalItem:
    goal: Goal
    status: Status


@dataclass
class PerspectiveGroup:
    name: str  # "" for goals outside any perspective
    goals: list[GoalItem] = field(default_factory=list)


@dataclass
class PlanGoals:
    plan: Plan
    groups: list[PerspectiveGroup]

    @property
    def goals(self) -> list[GoalItem]:
        return [item for group in self.groups for item in group.goals]


def _goals_queryset():
    decided = Assessment.objects.filter(decided_status__isnull=False)
    return Goal.objects.select_related("perspective", "plan__unit").prefetch_related(
        Prefetch("assessments", queryset=decided)
    )


def _item(goal: Goal, scale: Styrmodell) -> GoalItem:
    return GoalItem(goal, status_of(latest_decided(goal.assessments.all()), scale))


def goals_of(organisation: Organisation) -> list[PlanGoals]:
    """The goals of the organisation's plans in force, by plan and perspective."""
    scale = styrmodell_for(organisation.pk)
    plans = plans_in_force(organisation)
    goals = (
        _goals_queryset()
        .filter(plan__in=plans)
        .order_by("plan_id", "perspective__position", "perspective_id", "position", "pk")
    )
    by_plan: dict[int, list[Goal]] = {}
    for goal in goals:
        by_plan.setdefault(goal.plan_id, []).append(goal)
    result = []
    for plan in plans:
        groups: dict[int | None, PerspectiveGroup] = {}
        for goal in by_plan.get(plan.pk, []):
            name = goal.perspective.name if goal.perspective else ""
            group = groups.setdefault(goal.perspective_id, PerspectiveGroup(name))
            group.goals.append(_item(goal, scale))
        ordered = sorted(groups.values(), key=lambda group: group.name == "")
        if ordered:
            result.append(PlanGoals(plan, ordered))
    return result


def public_goal(organisation: Organisation, pk: int) -> GoalItem | None:
    """The goal, when it belongs to one of the organisation's plans in force; else None."""
    plans = plans_in_force(organisation)
    goal = _goals_queryset().filter(pk=pk, plan__in=plans).first()
    if goal is None:
        return None
    return _item(goal, styrmodell_for(organisation.pk))


@dataclass
class IndicatorRow:
    text: str
    name: str = ""  # what is measured (the definition's name)
    definition: int | None = None  # its trend page's key (public:indicator)
    period: str = ""  # "2023"
    total: str = ""
    women: str = ""
    men: str = ""
    preliminary: bool = False
    example: bool = False


def _latest_values(definition_ids: Iterable[int], organisation: Organisation) -> dict:
    """Per definition: (period, {gender: (value, preliminary, example)}) of its latest
    period with a value for the organisation."""
    rows = Measurement.objects.filter(
        definition_id__in=list(definition_ids), organisation=organisation
    ).values_list("definition_id", "period", "gender", "value", "status", "source")
    periods: dict[int, dict[str, dict[str, tuple[Decimal, bool, bool]]]] = {}
    for definition_id, period, gender, value, status, source in rows:
        cells = periods.setdefault(definition_id, {}).setdefault(period, {})
        cells[gender] = (value, status == "preliminar", source == "exempeldata")
    latest = {}
    for definition_id, by_period in periods.items():
        period = max(by_period, key=period_order)
        latest[definition_id] = (period, by_period[period])
    return latest


def indicator_rows(goal: Goal, organisation: Organisation) -> list[IndicatorRow]:
    """The goal's indicators with their latest values (total, kvinnor, män) and year."""
    indicators = list(goal.indicators.select_related("target__definition"))
    definitions = {}
    for indicator in indicators:
        target = getattr(indicator, "target", None)
        if target is not None:
            definitions[indicator.pk] = target.definition
    latest = _latest_values({d.pk for d in definitions.values()}, organisation)
    rows = []
    for indicator in indicators:
        definition = definitions.get(indicator.pk)
        row = IndicatorRow(indicator.text, definition.name if definition else "")
        row.definition = definition.pk if definition else None
        found = latest.get(definition.pk) if definition else None
        if definition is not None and found is not None:
            period, cells = found
            row.period = period_words(period)
            for gender, attr in (("T", "total"), ("K", "women"), ("M", "men")):
                if gender in cells:
                    value, preliminary, example = cells[gender]
                    setattr(row, attr, format_value(value, definition.unit))
                    row.preliminary = row.preliminary or preliminary
                    row.example = row.example or example
        rows.append(row)
    return rows


@dataclass
class Connected:
    """The strategies and uppdrag of the goal's plan that go with it."""

    strategies: list[Strategy]
    assignments: list[Assignment]
    activities: list[Activity]

    def __bool__(self) -> bool:
        return bool(self.strategies or self.assignments or self.activities)


def connected_to(goal: Goal) -> Connected:
    """The goal's own strategy, else its perspective's; the uppdrag under those strategies
    or in its perspective; the activities that say they contribute to it."""
    if goal.strategy_id:
        strategies = list(Strategy.objects.filter(pk=goal.strategy_id))
    elif goal.perspective_id:
        strategies = list(
            Strategy.objects.filter(plan=goal.plan_id, perspective=goal.perspective_id)
        )
    else:
        strategies = []
    assignments = Assignment.objects.filter(plan=goal.plan_id).select_related("responsible")
    if goal.perspective_id:
        in_perspective = Q(perspective=goal.perspective_id, strategy__isnull=True)
    else:
        in_perspective = Q(pk__in=[])
    chosen = assignments.filter(Q(strategy__in=[s.pk for s in strategies]) | in_perspective)
    activities = goal.activities_contributing.filter(plan=goal.plan_id).select_related(
        "responsible"
    )
    return Connected(strategies, list(chosen), list(activities))
