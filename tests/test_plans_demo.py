"""`uppsikt demo_planning`: the 2024 planning under way in the demo, made by the actions."""

import io

import pytest
from django.core.management import CommandError, call_command

from uppsikt.audit.models import AuditEvent
from uppsikt.indicators.models import IndicatorTarget
from uppsikt.plans.demo import CHANGED_GOAL, NEW_INDICATOR
from uppsikt.plans.models import Goal, Indicator, Plan
from uppsikt.plans.trail import plan_history

from .builders import RS_TITLE

pytestmark = pytest.mark.django_db


def demo_planning() -> str:
    out = io.StringIO()
    call_command("demo_planning", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_with_users(demo_with_indicators):
    call_command("demo_users", stdout=io.StringIO())


def test_both_2024_drafts_are_copies_of_2023_labelled_as_examples(demo_with_users):
    rs_2023 = Plan.objects.get(title=RS_TITLE)
    texts_2023 = list(rs_2023.goals.order_by("position").values_list("text", flat=True))
    assert "Utkast skapat" in demo_planning()
    fm, rs = (
        Plan.objects.get(unit__slug=slug, year=2024)
        for slug in ("regionfullmaktige", "regionstyrelsen")
    )
    for plan in (fm, rs):
        source = Plan.objects.get(unit=plan.unit, year=2023)
        assert plan.status == "utkast" and plan.is_example and plan.origin == source
        assert plan.note.startswith("Exempel:") and "exempeldata" in plan.note
        assert plan.horizon_end == source.horizon_end + 1
        assert plan.goals.count() == source.goals.count()
        assert all(goal.origin.plan == source for goal in plan.goals.all())
    assert rs.title == RS_TITLE.replace("2023", "2024")
    # the planner's two example edits, and the 2023 plan as it was
    changed = rs.goals.get(text=CHANGED_GOAL[1])
    assert changed.origin.text.startswith(CHANGED_GOAL[0])
    measured = rs.goals.get(text__startswith=NEW_INDICATOR[0])
    assert list(measured.indicators.values_list("text", flat=True)) == [NEW_INDICATOR[1]]
    assert list(rs_2023.goals.order_by("position").values_list("text", flat=True)) == texts_2023
    # regionstyrelsen's effektmål break down fullmäktige's 2024 effektmål, not 2023's
    above = {goal.plan for goal in Goal.objects.filter(contributions__plan=rs)}
    assert above == {fm}
    # indicator targets went with the copy (the indicators app's copy hook)
    copied = IndicatorTarget.objects.filter(indicator__goal__plan=rs).count()
    assert copied == IndicatorTarget.objects.filter(indicator__goal__plan=rs_2023).count() > 0
    assert Indicator.objects.filter(goal__plan=rs).count() == (
        Indicator.objects.filter(goal__plan=rs_2023).count() + 1
    )


def test_each_step_is_in_the_plans_history_with_the_demo_user_who_made_it(demo_with_users):
    demo_planning()
    fm = Plan.objects.get(unit__slug="regionfullmaktige", year=2024)
    rs = Plan.objects.get(unit__slug="regionstyrelsen", year=2024)
    assert [(e.action, e.actor_name) for e in plan_history(fm)] == [
        ("plan.create", "administrator")
    ]
    assert [(e.action, e.actor_name) for e in plan_history(rs)] == [
        ("indicator.add", "planerare"),
        ("goal.update", "planerare"),
        ("plan.create", "planerare"),
    ]
    assert plan_history(rs).last().after["copied"] > 0


def test_running_it_again_changes_nothing(demo_with_users):
    demo_planning()
    counts = (Plan.objects.count(), Goal.objects.count(), AuditEvent.objects.count())
    assert "finns redan" in demo_planning()
    assert (Plan.objects.count(), Goal.objects.count(), AuditEvent.objects.count()) == counts


def test_without_the_demo_users_it_refuses_and_writes_nothing(demo_region):
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="demo_users"):
        demo_planning()
    assert not Plan.objects.filter(year=2024).exists()
    assert AuditEvent.objects.count() == events
