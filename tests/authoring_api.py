"""Helpers for the API's plan-authoring tests: what a refused write could have touched, and
the shape of a refusal."""

import datetime

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Unit
from uppsikt.plans.actions import authoring, parts
from uppsikt.plans.actions.versions import decide_plan
from uppsikt.plans.models import (
    Activity,
    Goal,
    GoalExemption,
    Indicator,
    Plan,
    PlanComment,
    Section,
)


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


def refused(response, status: int, field=None, code=None, *, field_code=None) -> dict:
    """The answer is ``status`` with a Swedish message and the machine ``code``, and names
    ``field`` (with its ``field_code``)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"], body
    assert body["code"] == (code or CODES[status]), body
    if field is not None:
        named = [error for error in body["errors"] if error["field"] == field]
        assert named, body
        assert all(error["message"] and error["code"] for error in named)
        if field_code is not None:
            assert {error["code"] for error in named} == {field_code}, body
    return body


CODES = {
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    412: "precondition_failed",
    422: "invalid",
}


def council_plan(world, year: int = 2024, texts=("God hälsa i hela länet", "Hållbar tillväxt")):
    """Fullmäktige's decided plan for ``year`` in the world's region, with an effektmål per
    text: for 2024 the plan above styrelsen's draft. (Decided, so every planner sees it.)"""
    rot = world.user("rot")
    fullmaktige = Unit.objects.get(slug="fullmaktige", organisation=world.org)
    plan = authoring.create_plan(fullmaktige, year, actor=rot)
    for text in texts:
        parts.add_part(plan, "goal", actor=rot, text=text, kind="effektmal")
    decide_plan(plan, actor=rot, decided_by=fullmaktige, decided_on=datetime.date(year - 1, 11, 28))
    return plan
