"""What a unit follows up in a period: the providers and the registry other apps plug into."""

import datetime

import pytest

from uppsikt.followup import scope
from uppsikt.followup.scope import Item, in_scope, units_with_scope
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan

from .followup_setup import small_setting

pytestmark = pytest.mark.django_db


def labels(items):
    return [(item.label, item.target.pk) for item in items]


def test_the_delarsrapport_follows_up_every_goal_uppdrag_aktivitet_and_budget_table():
    setting = small_setting(goal_count=3)
    items = in_scope(setting.unit, setting.period)
    assert labels(items) == [
        *(("plans.goal", goal.pk) for goal in setting.goals),
        ("plans.activity", setting.activity.pk),
        ("plans.assignment", setting.assignment.pk),
        ("budget.budgettable", setting.table.pk),
    ]
    goal = items[0]
    assert (goal.kind_label, goal.title) == ("Effektmål 1", "Effektmål nummer 1")
    assert goal.group == "Perspektiv: Invånare och samhälle"
    assert items[-1].group == "Budget"


def test_periodrapporter_follow_up_the_economy_only():
    setting = small_setting()
    march = ReportingPeriod.objects.create(
        organisation=setting.period.organisation,
        year=2023,
        kind=ReportingPeriod.Kind.PERIODRAPPORT,
        name="Periodrapport mars 2023",
        ends_on=datetime.date(2023, 3, 31),
    )
    assert labels(in_scope(setting.unit, march)) == [("budget.budgettable", setting.table.pk)]


def test_a_plan_not_yet_decided_is_not_followed_up():
    setting = small_setting()
    Plan.objects.update(status=Plan.Status.UTKAST)
    assert labels(in_scope(setting.unit, setting.period)) == [
        ("budget.budgettable", setting.table.pk)
    ]


def test_another_year_has_nothing_in_scope():
    setting = small_setting()
    later = ReportingPeriod.objects.create(
        organisation=setting.period.organisation,
        year=2024,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2024",
        ends_on=datetime.date(2024, 7, 31),
    )
    assert in_scope(setting.unit, later) == []


@pytest.fixture
def extra_provider():
    """Register a provider the way another app would, and remove it afterwards."""
    saved = dict(scope._PROVIDERS)
    yield
    scope._PROVIDERS.clear()
    scope._PROVIDERS.update(saved)


def test_another_app_plugs_its_objects_into_the_scope(extra_provider):
    setting = small_setting()

    def control_items(unit, period):
        if unit.slug != "styrelsen":
            return []
        return [
            Item(
                target=unit,
                unit=unit,
                kind_label="Åtgärd",
                title="Kontrollera attester",
                group="Internkontrollplan",
                order=(50, 1),
            )
        ]

    scope.register("control", control_items)
    items = in_scope(setting.unit, setting.period)
    assert items[-1].title == "Kontrollera attester"  # 50 places it after the budget (40)
    assert "control" in scope.providers()
    assert [unit.slug for unit, _depth, _items in units_with_scope(setting.period)] == ["styrelsen"]
