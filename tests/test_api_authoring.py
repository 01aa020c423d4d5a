"""Writing plans through the REST API (issue 13): creating them three ways, every kind of
content, the cascade's links and answers, the beredning and the plan's history. Each
endpoint calls the same action as the web pages; each refusal names the field in Swedish,
with a machine code, and changes nothing; and the same change made through the API and
through the action leaves the same audit event."""

import pytest

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring, parts
from uppsikt.plans.models import (
    Activity,
    Goal,
    GoalExemption,
    Indicator,
    Plan,
    PlanComment,
    Section,
)

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused write could have touched."""
    return (
        sorted(Plan.objects.values_list("pk", "title", "horizon_end", "note", "row_version")),
        sorted(Goal.objects.values_list("pk", "text", "number", "row_version", "position")),
        sorted(Goal.contributes_to.through.objects.values_list("from_goal_id", "to_goal_id")),
        sorted(Indicator.objects.values_list("pk", "text", "row_version")),
        sorted(Section.objects.values_list("pk", "heading", "body", "row_version")),
        sorted(Activity.objects.values_list("pk", "text", "row_version")),
        sorted(GoalExemption.objects.values_list("pk", "reason")),
        PlanComment.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(response, status: int, field: str | None = None, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"], body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        named = [error for error in body["errors"] if error["field"] == field]
        assert named, body
        assert all(error["message"] and error["code"] for error in named)
    return body


@pytest.fixture
def world(two_regions_with_roles):
    return two_regions_with_roles


@pytest.fixture
def planner(as_role):
    return as_role("planerare_inne")


@pytest.fixture
def above(world):
    """Fullmäktige's 2024 plan with two goals: the plan above styrelsen's draft."""
    rot = world.user("rot")
    fullmaktige = Unit.objects.get(slug="fullmaktige", organisation=world.org)
    plan = authoring.create_plan(fullmaktige, 2024, actor=rot)
    for text in ("God hälsa i hela länet", "Hållbar tillväxt"):
        parts.add_part(plan, "goal", actor=rot, text=text, kind="effektmal")
    return plan


# -- creating a plan ------------------------------------------------------------------------------


def test_a_plan_is_created_empty_as_a_copy_and_as_a_breakdown(world, planner, above):
    empty = planner.send("post", "/plans", {"unit": world.unit.pk, "year": 2026, "mode": "empty"})
    assert empty.status_code == 201, empty.content
    plan = empty.json()
    assert plan["status"] == "utkast" and plan["year"] == 2026
    assert empty["ETag"] == f'"plan-{plan["id"]}-1"'

    copy = planner.send(
        "post",
        "/plans",
        {"unit": world.unit.pk, "year": 2025, "mode": "copy", "source": world.decided.pk},
    )
    assert copy.status_code == 201, copy.content
    assert copy.json()["origin_id"] == world.decided.pk
    copied = Goal.objects.filter(plan_id=copy.json()["id"])
    assert sorted(copied.values_list("origin_id", flat=True)) == sorted(
        Goal.objects.filter(plan=world.decided).values_list("pk", flat=True)
    )

    kansliet = Unit.objects.create(
        organisation=world.org, parent=world.unit, slug="kansliet", name="Kansliet", kind="kansli"
    )
    breakdown = planner.send(
        "post",
        "/plans",
        {"unit": kansliet.pk, "year": 2024, "mode": "breakdown", "source": world.draft.pk},
    )
    assert breakdown.status_code == 201, breakdown.content
    assert breakdown.json()["breaks_down_id"] == world.draft.pk
    created = AuditEvent.objects.filter(action="plan.create").order_by("sequence")
    assert [event.after["mode"] for event in created] == ["empty", "empty", "copy", "breakdown"]
