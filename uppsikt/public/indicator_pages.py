"""What the public site shows of indicators: the list under each goal of the plans in force,
and one indicator's trend for the organisation (kvinnor and män, and Riket, where values
exist).

Values are the organisation's current ones (``Measurement.objects`` leaves out what a source
withdrew) and Riket's; nobody else's. A target rule is shown in plain Swedish only when a
person has confirmed it: a rule proposed from the plan's text is not yet a target.
An indicator's page is addressed by its definition, which stays the same from year to year
and through revisions, while the plan's own indicator is copied with each new plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from uppsikt.indicators.chart import Chart, bar_chart
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget, Measurement
from uppsikt.indicators.periods import parse_period
from uppsikt.indicators.queries import (
    RIKET,
    SeriesRow,
    TableRow,
    rule_targets,
    series_rows,
    series_table,
)
from uppsikt.indicators.wording import period_words
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Goal, Plan

from .plans_in_force import decided_current

TOTAL, WOMEN, MEN = "T", "K", "M"


@dataclass
class Latest:
    period: str
    value: Decimal
    preliminary: bool = False

    @property
    def period_text(self) -> str:
        return period_words(self.period)


@dataclass
class ListedIndicator:
    text: str
    definition: IndicatorDefinition | None = None
    rule: str = ""  # the confirmed target rule in plain Swedish, or ""
    latest: Latest | None = None


@dataclass
class ListedGoal:
    goal: Goal
    indicators: list[ListedIndicator] = field(default_factory=list)


@dataclass
class PlanIndicators:
    plan: Plan
    goals: list[ListedGoal] = field(default_factory=list)


def confirmed_rule(target: IndicatorTarget | None) -> str:
    """The target in plain Swedish, or "" when there is none a person confirmed."""
    if target is None or target.rule_is_proposed:
        return ""
    return target.describe_rule()


def latest_values(organisation: Organisation, definitions: list[int]) -> dict[int, Latest]:
    """Each definition's newest total value for the organisation, in one query."""
    found: dict[int, Latest] = {}
    rows = Measurement.objects.filter(
        definition__in=definitions, organisation=organisation, gender=TOTAL
    ).values_list("definition_id", "period", "value", "status")
    for definition_id, period, value, status in rows:
        known = found.get(definition_id)
        if known is None or parse_period(period) > parse_period(known.period):
            found[definition_id] = Latest(period, value, status == "preliminar")
    return found


def plan_indicators(organisation: Organisation, plans: list[Plan]) -> list[PlanIndicators]:
    """Per plan, its goals that have indicators, each with its indicators (a fixed number of
    queries whatever the number of plans)."""
    goals = (
        Goal.objects.filter(plan__in=plans)
        .select_related("plan__unit")
        .prefetch_related("indicators__target__definition")
        .order_by("plan_id", "position", "pk")
    )
    by_plan: dict[int, PlanIndicators] = {plan.pk: PlanIndicators(plan) for plan in plans}
    listed: list[ListedIndicator] = []
    for goal in goals:
        shown = ListedGoal(goal)
        for indicator in goal.indicators.all():
            target = getattr(indicator, "target", None)
            item = ListedIndicator(
                indicator.text,
                target.definition if target is not None else None,
                confirmed_rule(target),
            )
            shown.indicators.append(item)
            listed.append(item)
        if shown.indicators:
            by_plan[goal.plan_id].goals.append(shown)
    latest = latest_values(organisation, [i.definition.pk for i in listed if i.definition])
    for item in listed:
        if item.definition is not None:
            item.latest = latest.get(item.definition.pk)
    return [entry for entry in by_plan.values() if entry.goals]


# -- one indicator ----------------------------------------------------------------------------


@dataclass
class UsedIn:
    plan: Plan
    goal: Goal
    text: str
    rule: str


@dataclass
class Trend:
    definition: IndicatorDefinition
    used_in: list[UsedIn]
    shown: list[tuple[str, str, str]]  # (organisation code, gender, column heading)
    table: list[TableRow]
    chart: Chart | None
    has_riket: bool
    rule: str  # the newest plan's confirmed rule in plain Swedish, or ""

    @property
    def rows(self) -> list[tuple[str, TableRow]]:
        """The table's rows with their period in words ("tertial 1 2023", "juli 2023")."""
        return [(period_words(row.period), row) for row in self.table]

    @property
    def has_target(self) -> bool:
        return any(row.target for row in self.table)

    @property
    def has_example(self) -> bool:
        return any(cell.example for row in self.table for cell in row.cells)


def public_definition(organisation: Organisation, pk: int) -> IndicatorDefinition:
    """The definition if a decided plan in force of the organisation uses it; else 404."""
    definition = get_object_or_404(IndicatorDefinition, pk=pk)
    if not _targets(organisation, definition).exists():
        raise Http404
    return definition


def _targets(organisation: Organisation, definition: IndicatorDefinition):
    return (
        IndicatorTarget.objects.filter(
            definition=definition, indicator__goal__plan__in=decided_current(organisation)
        )
        .select_related("indicator__goal__plan__unit", "definition")
        .order_by("-indicator__goal__plan__year", "indicator__goal__plan__unit__position", "pk")
    )


def _columns(
    organisation: Organisation, riket: Organisation | None, definition, rows: list[SeriesRow]
) -> list[tuple[str, str, str]]:
    """The table's columns that hold any value: the organisation (totalt, kvinnor, män) and
    Riket (the same)."""
    wanted = [(organisation, TOTAL, organisation.name)]
    if definition.by_gender:
        wanted += [
            (organisation, WOMEN, _("%(name)s, kvinnor") % {"name": organisation.name}),
            (organisation, MEN, _("%(name)s, män") % {"name": organisation.name}),
        ]
    if riket is not None:
        wanted.append((riket, TOTAL, _("Riket")))
        if definition.by_gender:
            wanted += [(riket, WOMEN, _("Riket, kvinnor")), (riket, MEN, _("Riket, män"))]
    return [
        (org.code, gender, label)
        for org, gender, label in wanted
        if any(row.cell(org.code, gender).value is not None for row in rows)
    ]


CSS = {
    (False, TOTAL): "bar--0",
    (False, WOMEN): "bar--k",
    (False, MEN): "bar--m",
    (True, TOTAL): "bar--1",
}


def indicator_trend(organisation: Organisation, definition: IndicatorDefinition) -> Trend:
    """The organisation's values over the periods, with Riket's, a chart and its table."""
    targets = list(_targets(organisation, definition))
    used_in = [
        UsedIn(t.indicator.goal.plan, t.indicator.goal, t.indicator.text, confirmed_rule(t))
        for t in targets
    ]
    riket = None if organisation.code == RIKET else Organisation.objects.filter(code=RIKET).first()
    codes = [organisation.code] + ([riket.code] if riket else [])
    rows = series_rows(definition, codes)
    shown = _columns(organisation, riket, definition, rows)
    confirmed = next((t for t in targets if not t.rule_is_proposed), None)
    rule = confirmed.target_rule if confirmed is not None else None
    columns = [(code, gender) for code, gender, _label in shown]
    table = series_table(rows, columns, rule, definition.unit)
    bars = [
        (code, gender, CSS[(code == RIKET, gender)], label)
        for code, gender, label in shown
        if (code == RIKET, gender) in CSS  # Riket's kvinnor and män are in the table only
    ]
    chart = (
        bar_chart(
            rows,
            bars,
            definition.unit,
            rule_targets(rule, [row.period for row in rows]),
            _("Målvärde"),
            axis_title=_("Värde (%(unit)s)") % {"unit": definition.get_unit_display()},
        )
        if bars
        else None
    )
    return Trend(
        definition,
        used_in,
        shown,
        table,
        chart,
        any(code == RIKET for code, _gender, _label in shown),
        confirmed_rule(confirmed),
    )
