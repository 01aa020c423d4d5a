"""Decided plans are immutable: what counts as a plan's content, and the refusal to change
it once the plan is decided (a change after the decision is a new version, see
``plans.actions.versions``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from .models import (
    Plan,
)


class PlanIsDecided(ValidationError):
    """A change to a decided plan was refused (the API answers 409 Conflict)."""

    code = "plan_decided"


# The objects that make up a plan's content, with the way from each to its plan.
PLAN_PATHS: dict[str, str] = {
    "plans.plan": "",
    "plans.perspective": "plan",
    "plans.focusarea": "plan",
    "plans.section": "plan",
    "plans.strategy": "plan",
    "plans.goal": "plan",
    "plans.assignment": "plan",
    "plans.activity": "plan",
    "plans.indicator": "goal__plan",
    "plans.goalexemption": "plan",
    "indicators.indicatortarget": "indicator__goal__plan",
}


def plan_id_of(obj: Model) -> int | None:
    """The id of the plan ``obj`` belongs to, or None if it is not plan content."""
    path = PLAN_PATHS.get(obj._meta.label_lower)
    if path is None:
        return None
    if path == "":
        return obj.pk
    target: Any = obj
    parts = path.split("__")
    for name in parts[:-1]:
        if getattr(target, f"{name}_id", None) is None:
            return None
        target = getattr(target, name)
    return getattr(target, f"{parts[-1]}_id", None)


def is_locked(obj: Model) -> bool:
    """Whether ``obj`` is content of a decided plan (as stored now)."""
    plan_id = plan_id_of(obj)
    if plan_id is None:
        return False
    status = Plan.objects.filter(pk=plan_id).values_list("status", flat=True).first()
    return status in Plan.PUBLISHED_STATUSES


def _refuse(plan_label: str) -> PlanIsDecided:
    return PlanIsDecided(
        _(
            "%(plan)s är beslutad och kan inte ändras. Revidera planen för att göra "
            "ändringar i en ny version."
        )
        % {"plan": plan_label},
        code="plan_decided",
    )


def ensure_editable(plan: Plan) -> None:
    """Refuse any change to a decided plan's content (checked against the database)."""
    status = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if status in Plan.PUBLISHED_STATUSES:
        raise _refuse(str(plan))


def ensure_editable_content(obj: Model) -> None:
    """``ensure_editable`` for any object of a plan, new or stored (used by the admin too)."""
    plan_id = plan_id_of(obj)
    if plan_id is None:
        return
    plan = Plan.objects.filter(pk=plan_id).only("status", "title").first()
    if plan is not None and plan.status in Plan.PUBLISHED_STATUSES:
        raise _refuse(plan.title)
