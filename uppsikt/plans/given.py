"""Uppdrag given to a unit by another unit's plan.

An uppdrag (``Assignment``) stands in the plan that gives it and names a responsible unit.
That unit sees it on its own plan for the same year ("Uppdrag från <plan>", a hook on
``plans.page.plan_page``) and on its unit page (a panel); the follow-up asks
``given_to`` for what the unit follows up (``followup.providers``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from uppsikt.organisations.models import Unit

from .document import PlanDocument
from .models import Assignment, Plan
from .queries import current_versions


def given_to(unit: Unit | int, plans: QuerySet[Plan]) -> QuerySet[Assignment]:
    """The uppdrag in ``plans`` whose responsible unit is ``unit``, other than those in the
    unit's own plans, by giving plan and in document order."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        Assignment.objects.filter(responsible_id=unit_id, plan__in=plans)
        .exclude(plan__unit_id=unit_id)
        .select_related("plan__unit")
        .order_by("-plan__year", "plan__unit__position", "plan_id", "position")
    )


def by_plan(assignments: Any) -> list[tuple[Plan, list[Assignment]]]:
    """``assignments`` (ordered by plan) grouped under their plan."""
    groups: list[tuple[Plan, list[Assignment]]] = []
    for assignment in assignments:
        if not groups or groups[-1][0].pk != assignment.plan_id:
            groups.append((assignment.plan, []))
        groups[-1][1].append(assignment)
    return groups


def readable_current(user: Any) -> QuerySet[Plan]:
    """One version per unit and year that ``user`` may read: the one in force, or the
    newest draft before any decision."""
    return Plan.objects.visible_to(user).filter(pk__in=current_versions())


def in_force(organisation_id: int, year: int) -> QuerySet[Plan]:
    """The decided plans of an organisation's year that no newer decision replaced."""
    return Plan.objects.published().filter(
        pk__in=current_versions(), year=year, unit__organisation_id=organisation_id
    )


def plan_page_given(document: PlanDocument, user: Any) -> dict[str, Any]:
    """The uppdrag other plans of the same year give the plan's unit, in one query."""
    plan = document.plan
    plans = readable_current(user).filter(year=plan.year)
    return {"given_assignments": by_plan(given_to(plan.unit_id, plans))}


def unit_given(unit: Unit, user: Any) -> dict[str, Any] | None:
    """The unit page's panel: uppdrag given to the unit, newest year first; none, no panel."""
    groups = by_plan(given_to(unit, readable_current(user)))
    return {"groups": groups} if groups else None
