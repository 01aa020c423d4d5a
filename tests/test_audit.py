import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from uppsikt.audit.models import AppendOnlyError, AuditEvent
from uppsikt.audit.trail import verify
from uppsikt.plans.actions.content import update_goal
from uppsikt.plans.models import Goal

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_of_draft_plan():
    load_minimal(goal_count=2, status="utkast")  # a decided plan is not edited in place
    return user_with_role("planerare")


@pytest.fixture
def draft_goal(planner_of_draft_plan):
    return Goal.objects.order_by("position").first()


def test_a_goal_change_is_recorded_with_before_and_after(draft_goal, planner_of_draft_plan):
    update_goal(draft_goal, actor=planner_of_draft_plan, text="Ny formulering av målet")
    event = AuditEvent.objects.get()
    assert event.actor_name == "planerare"
    assert event.action == "goal.update"
    assert event.before["text"] == "Effektmål nummer 1"
    assert event.after["text"] == "Ny formulering av målet"
    assert event.after["indicators"] == ["Indikator 1a", "Indikator 1b"]


def test_saving_without_a_change_records_nothing(draft_goal, planner_of_draft_plan):
    update_goal(draft_goal, actor=planner_of_draft_plan, text=draft_goal.text)
    assert not AuditEvent.objects.exists()


def test_a_rejected_change_leaves_no_record(draft_goal, planner_of_draft_plan):
    with pytest.raises(Exception):  # noqa: B017 - the model's own validation error
        update_goal(draft_goal, actor=planner_of_draft_plan, kind="vision")
    assert not AuditEvent.objects.exists()
    draft_goal.refresh_from_db()
    assert draft_goal.kind == "effektmal"


def test_the_trail_is_append_only(draft_goal, planner_of_draft_plan):
    update_goal(draft_goal, actor=planner_of_draft_plan, text="Första ändringen")
    event = AuditEvent.objects.get()
    event.reason = "efterhandskonstruktion"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_verify_finds_the_first_row_altered_in_the_database(draft_goal, planner_of_draft_plan):
    for number in range(1, 6):
        update_goal(draft_goal, actor=planner_of_draft_plan, text=f"Version {number}")
    assert verify() == (5, None)
    call_command("audit", "verify")
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_name = %s WHERE sequence = 3", ["någon annan"])  # noqa: S608
    _count, broken = verify()
    assert broken is not None and broken.sequence == 3
    with pytest.raises(CommandError, match="bruten vid rad 3"):
        call_command("audit", "verify")


def test_verify_finds_a_deleted_row(draft_goal, planner_of_draft_plan):
    for number in range(1, 4):
        update_goal(draft_goal, actor=planner_of_draft_plan, text=f"Version {number}")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = 2")  # noqa: S608
    _count, broken = verify()
    assert broken is not None and broken.sequence == 2


def test_goal_page_shows_history_to_signed_in_users_only(client, draft_goal, planner_of_draft_plan):
    update_goal(draft_goal, actor=planner_of_draft_plan, text="Ändrad måltext")
    url = reverse("plans:goal", args=[draft_goal.pk])
    assert "Ändringshistorik" not in client.get(url).content.decode()
    client.force_login(planner_of_draft_plan)
    page = client.get(url).content.decode()
    assert "Ändringshistorik" in page
    assert "Effektmål nummer 1" in page and "Ändrad måltext" in page
