"""Who reads what of internal control. Every page, export and query for a user goes here.

- A unit's internkontrollplan (its risks, åtgärder and assessments) is published when the
  unit's verksamhetsplan of the same year is decided (``Plan.PUBLISHED_STATUSES``): the plan
  is part of the verksamhetsplan. Before that only users with a role on the unit read it.
- Follow-ups, avvikelser and ISK-bedömningar are published when their reporting period is
  closed (the report has been handed in); before that only users with a role on the
  reporting unit read them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from uppsikt.accounts.access import Perm, can, scope
from uppsikt.followup.models import FollowUp, ReportingPeriod
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan

from .models import ControlAssessment, ControlPlan, Deviation, Risk


def _decided_plan(unit_ref: str, year_ref: str) -> Q:
    return Q(
        Exists(
            Plan.objects.filter(
                unit=OuterRef(unit_ref),
                year=OuterRef(year_ref),
                status__in=Plan.PUBLISHED_STATUSES,
            )
        )
    )


def control_plans(user) -> QuerySet[ControlPlan]:
    return scope(ControlPlan.objects.all(), user, published=_decided_plan("unit", "year"))


def risks(user) -> QuerySet[Risk]:
    published = _decided_plan("control_plan__unit", "control_plan__year")
    return scope(Risk.objects.all(), user, published=published)


def can_read_unit_plan(user, unit: Unit, year: int) -> bool:
    """Whether ``user`` may open ``unit``'s internal-control page for ``year``."""
    if can(user, Perm.VIEW, unit):
        return True
    return Plan.objects.filter(unit=unit, year=year, status__in=Plan.PUBLISHED_STATUSES).exists()


_CLOSED = Q(period__status=ReportingPeriod.Status.CLOSED)


def followups(user) -> QuerySet[FollowUp]:
    return scope(FollowUp.objects.all(), user, published=_CLOSED)


def deviations(user) -> QuerySet[Deviation]:
    return scope(
        Deviation.objects.all(),
        user,
        published=Q(followup__period__status=ReportingPeriod.Status.CLOSED),
    )


def control_assessments(user) -> QuerySet[ControlAssessment]:
    return scope(ControlAssessment.objects.all(), user, published=_CLOSED)


def can_read_followup(user, unit: Unit, period: ReportingPeriod) -> bool:
    return not period.is_open or can(user, Perm.VIEW, unit)
