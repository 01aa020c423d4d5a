"""Small settings for follow-up and report tests, made through the real loaders and actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from uppsikt.budget.load import load_budget_data
from uppsikt.budget.models import BudgetTable
from uppsikt.followup.actions.entries import save_followup, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Activity, Assignment, Goal, Plan

from .builders import load_minimal, user_with_role

BUDGET = {
    "format": "uppsikt-budget/1",
    "organisation": "0099",
    "tables": [
        {
            "unit": "styrelsen",
            "year": 2023,
            "kind": "drift",
            "number": "4.3",
            "title": "Driftbudget styrelsen",
            "display_unit": "mnkr",
            "decimals": 0,
            "series": [
                {"kind": "budget", "year": 2023},
                {"kind": "prognos", "year": 2023, "period": "2023-06"},
                {"kind": "prognos", "year": 2023, "period": "2023-10"},
            ],
            "rows": [
                {"label": "Hälsoval", "figures": ["-2 061", "-2 050", "-2 040"]},
                {"label": "Tandvård", "figures": ["-258", "-262", "-260"]},
                {"label": "Summa:", "kind": "summa"},
            ],
        }
    ],
}


@dataclass
class Setting:
    unit: Unit
    board: Unit
    plan: Plan
    goals: list[Goal]
    activity: Activity
    assignment: Assignment
    table: BudgetTable
    period: ReportingPeriod

    @property
    def targets(self) -> list[Any]:
        return [*self.goals, self.assignment, self.activity, self.table]


def small_setting(goal_count: int = 2) -> Setting:
    """Region Test: styrelsen's decided plan (goals, an uppdrag, an aktivitet), a budget table
    and the delårsrapport 2023 per 31 juli."""
    load_minimal(goal_count)
    plan = Plan.objects.get()
    activity = Activity.objects.create(plan=plan, text="Utbilda alla chefer i SAM.", position=100)
    assignment = Assignment.objects.create(plan=plan, text="Ta fram en digital plan.", position=101)
    load_budget_data(BUDGET)
    period = ReportingPeriod.objects.create(
        organisation=Organisation.objects.get(code="0099"),
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
    )
    return Setting(
        unit=Unit.objects.get(slug="styrelsen"),
        board=Unit.objects.get(slug="fullmaktige"),
        plan=plan,
        goals=list(Goal.objects.filter(plan=plan).order_by("position")),
        activity=activity,
        assignment=assignment,
        table=BudgetTable.objects.get(),
        period=period,
    )


def complete(setting: Setting, actor=None) -> list[FollowUp]:
    """Write every item in scope and mark it klar; returns the entries."""
    actor = actor or user_with_role("skrivare", "planerare")
    entries = []
    for target in setting.targets:
        if isinstance(target, Goal):
            status = "delvis_uppfyllt"
        elif isinstance(target, BudgetTable):
            status = "risk"
        else:
            status = "pagar"
        entry = save_followup(
            target, setting.period, actor=actor, status=status, comment=f"Kommentar om {target}."
        )
        if entry.state == FollowUp.State.UTKAST:
            set_state(entry, FollowUp.State.KLAR, actor=actor)
        entries.append(entry)
    return entries
