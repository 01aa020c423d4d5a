"""A plan's history: every audit event about the plan or anything in it.

The audit trail names the object an event is about, which may later be removed (a goal taken
out of a draft); ``record_in_plan`` writes the event and ties it to its plan, so the plan's
history still lists it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from uppsikt.audit.models import AuditEvent
from uppsikt.audit.trail import record
from uppsikt.lib.typing import Actor

from .models import Plan, PlanEvent


def record_in_plan(
    plan: Plan | int, *, actor: Actor, action: str, obj: Any, **details: Any
) -> AuditEvent:
    """``audit.trail.record`` for a change to ``plan`` or its content; one event."""
    event = record(actor=actor, action=action, obj=obj, **details)
    plan_id = plan if isinstance(plan, int) else plan.pk
    PlanEvent.objects.create(plan_id=plan_id, event=event)
    return event


def plan_history(plan: Plan) -> QuerySet[AuditEvent]:
    """The plan's events, newest first."""
    ids = PlanEvent.objects.filter(plan=plan).values("event_id")
    return AuditEvent.objects.filter(pk__in=ids).order_by("-sequence")
