"""Proposing goals' assessments from their indicators, for one goal or a whole plan at once.

A plan's proposals cost a fixed number of queries whatever the number of goals: the
targets, contributions, aggregation choices, series (only the organisations and periods
the rules compare) and existing assessments are each read once, and the assessments are
written with one bulk update and one bulk insert. A decision already taken is kept.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from uppsikt.governance.words import styrmodell_for
from uppsikt.plans.models import Goal

from .aggregation import aggregate
from .assessment import assess_indicator
from .models import Aggregation, AggregationChoice, Assessment, IndicatorTarget
from .periods import format_period, parse_period
from .queries import series_for_many
from .rules import ReferenceRule

_PROPOSAL_FIELDS = [
    "proposed_status",
    "proposed_reason",
    "proposed_preliminary",
    "indicator_results",
    "aggregation",
]


def _choices(goals: list[Goal]) -> dict[tuple[str, int], str]:
    """Aggregation choices by ("goal", goal id) and ("plan", plan id)."""
    plans = {goal.plan_id for goal in goals}
    rows = AggregationChoice.objects.filter(
        Q(goal__in=goals) | Q(plan_id__in=plans, goal__isnull=True)
    ).values_list("plan_id", "goal_id", "rule")
    return {
        ("goal", goal_id) if goal_id else ("plan", plan_id): rule for plan_id, goal_id, rule in rows
    }


def aggregation_for(goal: Goal, choices: dict | None = None) -> tuple[str, str]:
    """The aggregation rule that applies to ``goal`` and where it was chosen.

    Returns (rule, where) with where "goal", "plan" or "default": a goal's own choice wins
    over its plan's, and without either the rule is "alla".
    """
    choices = _choices([goal]) if choices is None else choices
    if ("goal", goal.pk) in choices:
        return choices[("goal", goal.pk)], "goal"
    if ("plan", goal.plan_id) in choices:
        return choices[("plan", goal.plan_id)], "plan"
    return Aggregation.ALLA, "default"


def _targets(goals: list[Goal]) -> tuple[dict[int, list[IndicatorTarget]], dict[int, list[Goal]]]:
    """Per goal, its linked indicators; without any of its own, those of the goals that
    contribute to it (and which those goals are)."""
    by_goal: dict[int, list[IndicatorTarget]] = defaultdict(list)
    own = IndicatorTarget.objects.filter(indicator__goal__in=goals).select_related(
        "definition", "indicator"
    )
    for target in own.order_by("indicator__position", "pk"):
        by_goal[target.indicator.goal_id].append(target)
    bare = [goal for goal in goals if not by_goal.get(goal.pk)]
    contributing: dict[int, list[Goal]] = defaultdict(list)
    if bare:
        through = Goal.contributes_to.through.objects.filter(to_goal__in=bare)
        links = list(through.values_list("to_goal_id", "from_goal_id"))
        found_goals = Goal.objects.filter(pk__in={source for _to, source in links})
        sources = {g.pk: g for g in found_goals.select_related("plan__unit")}
        targets_of: dict[int, list[IndicatorTarget]] = defaultdict(list)
        found = IndicatorTarget.objects.filter(indicator__goal__in=list(sources))
        for target in found.select_related("definition", "indicator").order_by(
            "indicator__position", "pk"
        ):
            targets_of[target.indicator.goal_id].append(target)
        for to_goal, source in sorted(links, key=lambda link: sources[link[1]].position):
            if targets_of.get(source):
                contributing[to_goal].append(sources[source])
                by_goal[to_goal].extend(targets_of[source])
    return by_goal, contributing


@transaction.atomic
def propose_assessments(
    goals: Iterable[Goal], period: str, *, rule: str | None = None
) -> dict[int, Assessment | None]:
    """Compute and store the proposals of ``goals`` (with ``plan__unit__organisation``).

    Returns each goal's assessment by goal id, None for a goal with no indicator to judge
    it by (neither its own nor its contributing goals').
    """
    goals = list(goals)
    period = format_period(parse_period(period))
    parsed = parse_period(period)
    targets, contributing = _targets(goals)
    choices = _choices(goals)
    codes = {goal.plan.unit.organisation.code for goal in goals}
    definitions = {}
    for listed in targets.values():
        for target in listed:
            definitions[target.definition.pk] = target.definition
            if isinstance(target.target_rule, ReferenceRule):
                codes.add(target.target_rule.reference)
    series = series_for_many(
        list(definitions.values()),
        organisations=codes,
        until_year=parsed.year,  # the latest value up to the period's end (Series.latest)
    )
    existing = {a.goal_id: a for a in Assessment.objects.filter(goal__in=goals, period=period)}
    result: dict[int, Assessment | None] = {}
    new: list[Assessment] = []
    changed: list[Assessment] = []
    for goal in goals:
        goal_targets = targets.get(goal.pk)
        if not goal_targets:
            result[goal.pk] = None
            continue
        goal_rule = rule or aggregation_for(goal, choices)[0]
        proposed = _proposal(goal, goal_targets, series, parsed, goal_rule, contributing)
        assessment = existing.get(goal.pk) or Assessment(goal=goal, period=period)
        result[goal.pk] = assessment
        if assessment.pk and _proposal_of(assessment) == proposed:
            continue  # stored as it is: nothing to write
        for name, value in zip(_PROPOSAL_FIELDS, proposed, strict=True):
            setattr(assessment, name, value)
        (changed if assessment.pk else new).append(assessment)
    if changed:
        Assessment.objects.bulk_update(changed, _PROPOSAL_FIELDS)
    if new:
        Assessment.objects.bulk_create(new)
    return result


def _proposal(goal: Goal, targets, series, parsed, goal_rule: str, contributing) -> tuple:
    """What ``propose_assessments`` stores for ``goal``, in ``_PROPOSAL_FIELDS`` order."""
    organisation = goal.plan.unit.organisation
    results, details = [], []
    for target in targets:
        judged = assess_indicator(
            target.target_rule, series[target.definition.pk], organisation, parsed
        )
        results.append(judged)
        details.append({"indicator": target.indicator_id, **judged.to_data()})
    proposal = aggregate(results, goal_rule)
    reason = proposal.reason
    if sources := contributing.get(goal.pk):
        reason += " " + _("Bedömt utifrån indikatorerna i bidragande mål: %(goals)s.") % {
            "goals": ", ".join(f"{g.plan.unit.name} {g.label}" for g in sources)
        }
    # The engine's outcome, stored as the step of the organisation's scale receiving it.
    step = styrmodell_for(organisation.pk).step_for_outcome(proposal.status)
    return (step, reason, proposal.preliminary, details, goal_rule)


def _proposal_of(assessment: Assessment) -> tuple:
    """What ``propose_assessments`` stores, in ``_PROPOSAL_FIELDS`` order."""
    return tuple(getattr(assessment, name) for name in _PROPOSAL_FIELDS)


def propose_assessment(goal: Goal, period: str, *, rule: str | None = None) -> Assessment | None:
    """Compute the automatic proposal for ``goal`` and store it, keeping any decision.

    Only indicators linked to a definition (``IndicatorTarget``) count. A goal without any
    of its own is judged by the indicators of the goals that contribute to it (a
    regionfullmäktige goal by its nämnders' goals); with none at all it gets no assessment
    (None). The organisation judged is the one whose plan holds the goal; the aggregation
    rule is ``rule`` or the one chosen for the goal or its plan (``aggregation_for``).
    """
    return propose_assessments([goal], period, rule=rule)[goal.pk]


def propose_plan(plan, period: str) -> dict[int, Assessment | None]:
    """Every goal of ``plan`` at once (a fixed number of queries)."""
    goals = Goal.objects.filter(plan=plan).select_related("plan__unit__organisation")
    return propose_assessments(goals, period)


def repropose(goals) -> None:
    """Recompute the proposals of ``goals`` for every period they have been assessed in."""
    goals = list(goals)
    periods = defaultdict(list)
    for goal_id, period in Assessment.objects.filter(goal__in=goals).values_list(
        "goal_id", "period"
    ):
        periods[period].append(goal_id)
    for period, ids in periods.items():
        propose_assessments(
            Goal.objects.filter(pk__in=ids).select_related("plan__unit__organisation"), period
        )


def repropose_for_definitions(definition_ids: Iterable[int]) -> None:
    """New or corrected values of these indicators: refresh every stored proposal they feed.

    That is the goals whose indicators are linked to one of the definitions, and the goals
    those contribute to (judged by their contributors' indicators). Decisions are kept.
    """
    goal_ids = set(
        IndicatorTarget.objects.filter(definition__in=list(definition_ids)).values_list(
            "indicator__goal_id", flat=True
        )
    )
    if not goal_ids:
        return
    upward = Goal.contributes_to.through.objects.filter(from_goal__in=goal_ids)
    goal_ids |= set(upward.values_list("to_goal_id", flat=True))
    repropose(Goal.objects.filter(pk__in=goal_ids))
