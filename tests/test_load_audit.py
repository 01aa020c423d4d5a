"""Loaders and demo commands write the audit trail; `load --replace` keeps decided plans."""

from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from uppsikt.audit.models import AuditEvent
from uppsikt.audit.trail import verify
from uppsikt.plans.models import Goal, Plan

from .builders import minimal_data

pytestmark = pytest.mark.django_db


def write(tmp_path, name="plan.yaml", **kwargs):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(minimal_data(2, **kwargs), allow_unicode=True), "utf-8")
    return str(path)


def load(*args):
    call_command("load", *args, stdout=StringIO(), stderr=StringIO())


def test_load_records_the_file_and_counts_and_each_plan_and_goal(tmp_path):
    path = write(tmp_path)
    load(path)
    summary = AuditEvent.objects.get(action="data.load")
    assert summary.after["fil"] == path and summary.after["goals"] == 2
    assert summary.after["plans"] == 1 and summary.actor_name == "kommandorad"
    plan = Plan.objects.get()
    assert AuditEvent.objects.get(action="plan.load", object_id=str(plan.pk)).after["mål"] == 2
    goal_events = AuditEvent.objects.filter(action="goal.load")
    assert sorted(goal_events.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Goal.objects.values_list("pk", flat=True)
    )
    assert all(event.unit_id == plan.unit_id for event in goal_events)
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
