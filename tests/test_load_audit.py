"""Loaders and demo commands write the audit trail; `load --replace` keeps decided plans."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from uppsikt.audit.models import AuditEvent
from uppsikt.audit.trail import verify
from uppsikt.indicators.models import EXAMPLE_SOURCE, Measurement
from uppsikt.plans.models import Goal, Plan
from uppsikt.plans.trail import plan_history
from uppsikt.portal.demo_steps import DEMO_STEPS

from .builders import ROOT, minimal_data

pytestmark = pytest.mark.django_db


def write(tmp_path, name="plan.yaml", **kwargs):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(minimal_data(2, **kwargs), allow_unicode=True), "utf-8")
    return str(path)


def load(*args):
    call_command("load", *args, stdout=StringIO(), stderr=StringIO())


def test_load_records_the_file_and_counts_and_each_change_in_the_plans_history(tmp_path):
    path = write(tmp_path)
    load(path)
    summary = AuditEvent.objects.get(action="data.load")
    assert summary.after["fil"] == path and summary.after["goals"] == 2
    assert summary.after["plans"] == 1 and summary.actor_name == "kommandorad"
    plan = Plan.objects.get()
    history = list(plan_history(plan))
    assert {event.actor_name for event in history} == {"kommandorad"}
    assert all(event.unit_id == plan.unit_id for event in history)
    # oldest first: made, its content object by object, decided, then the file's summary
    actions = [event.action for event in reversed(history)]
    assert actions == [
        "plan.create",
        "perspective.add",
        "goal.add",
        "indicator.add",
        "indicator.add",
        "goal.add",
        "indicator.add",
        "indicator.add",
        "plan.decide",
        "plan.load",
    ]
    added = [event for event in history if event.action == "goal.add"]
    assert sorted(event.object_id for event in added) == sorted(
        str(pk) for pk in Goal.objects.values_list("pk", flat=True)
    )
    decided = next(event for event in history if event.action == "plan.decide")
    assert decided.after["status"] == "beslutad" and path in decided.reason
    loaded = next(event for event in history if event.action == "plan.load")
    assert loaded.after["mål"] == 2 and loaded.after["fil"] == path
    assert not AuditEvent.objects.filter(action="goal.load").exists()  # goal.add says it
    assert verify()[1] is None


def test_replace_refuses_to_remove_a_decided_plan(tmp_path):
    path = write(tmp_path)
    load(path)
    plan = Plan.objects.get()
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError):
        err = StringIO()
        try:
            call_command("load", path, "--replace", stdout=StringIO(), stderr=err)
        finally:
            assert "beslutade planer" in err.getvalue() and "--allow-decided" in err.getvalue()
    assert Plan.objects.get().pk == plan.pk  # nothing changed
    assert AuditEvent.objects.count() == events


def test_replace_of_a_decided_plan_with_the_flag_is_recorded(tmp_path):
    path = write(tmp_path)
    load(path)
    old = Plan.objects.get()
    load(path, "--replace", "--allow-decided")
    removed = AuditEvent.objects.get(action="plan.replace")
    assert removed.object_id == str(old.pk) and removed.unit_id == old.unit_id
    assert removed.before["status"] == "beslutad" and removed.before["mål"] == 2
    assert removed.before["title"] == old.title and path in removed.reason
    summary = AuditEvent.objects.filter(action="data.load").last()
    assert summary.after["ersatta planer"] == 1
    assert Plan.objects.get().pk != old.pk
    assert verify()[1] is None


def test_replace_of_drafts_needs_no_flag_but_is_recorded(tmp_path):
    path = write(tmp_path, status="utkast")
    load(path)
    load(path, "--replace")
    assert AuditEvent.objects.filter(action="plan.replace").count() == 1


def test_load_budget_records_each_table_with_the_file_and_the_table_it_replaced():
    from uppsikt.budget.models import BudgetTable

    from .builders import load_demo

    load_demo()
    path = str(ROOT / "demo" / "budget-2023.yaml")
    call_command("load_budget", path, stdout=StringIO())
    first = {e.object_id: e for e in AuditEvent.objects.filter(action="budget.load")}
    assert set(first) == {str(pk) for pk in BudgetTable.objects.values_list("pk", flat=True)}
    event = next(iter(first.values()))
    assert event.after["fil"] == path and event.after["rader"] > 0 and event.after["belopp"] > 0
    assert event.before is None and event.unit_id is not None
    call_command("load_budget", path, stdout=StringIO())
    again = AuditEvent.objects.filter(action="budget.load").last()
    replaced = again.before["ersatta tabeller"]
    assert [t["id"] for t in replaced] == [int(first[str(replaced[0]["id"])].object_id)]
    assert replaced[0]["belopp"] == again.after["belopp"]


def test_every_step_of_the_demo_load_writes_the_trail_and_the_chain_verifies(monkeypatch):
    """The steps of `uppsikt load_demo`, each of which must add events; then `audit verify`."""
    monkeypatch.chdir(ROOT)
    for name, *args in DEMO_STEPS:
        before = AuditEvent.objects.count()
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
        assert AuditEvent.objects.count() > before, f"{name} wrote no audit event"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"data.load", "plan.load", "goal.add", "budget.load", "control.plan.import"} <= actions
    assert {"indicator.demo", "measurement.demo", "role.grant", "budget.import"} <= actions
    assert {"plan.create", "goal.update", "indicator.add"} <= actions  # demo_planning
    assert "report.return" in actions  # demo_review
    demo = AuditEvent.objects.filter(action="measurement.demo")
    # every example value the demo made is accounted for in the trail
    made = Measurement.objects.filter(source=EXAMPLE_SOURCE).count()
    assert made > 0 and sum(event.after["mätvärden"] for event in demo) == made
    call_command("audit", "verify", stdout=StringIO())  # raises CommandError when broken
    # demo_users again changes no role, so it writes no role events
    before = AuditEvent.objects.filter(action__startswith="role.").count()
    call_command("demo_users", stdout=StringIO())
    assert AuditEvent.objects.filter(action__startswith="role.").count() == before
