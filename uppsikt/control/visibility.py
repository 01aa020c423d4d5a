"""Who reads what of internal control. Every page, export and query for a user goes here.

- A unit's internkontrollplan (its risks, åtgärder and assessments) is published when the
  unit's verksamhetsplan of the same year is decided (``Plan.PUBLISHED_STATUSES``): the plan
  is part of the verksamhetsplan. Before that only users with a role on the unit read it.
- Follow-ups, avvikelser and ISK-bedömningar are published when their reporting period is
  closed (the report has been handed in); before that users with a role on the reporting
  unit read them, and so do users with a role on the unit that owns the risk: regionstyrelsen
  sees every nämnd's follow-up of a region-wide åtgärd, and every unit's ISK-bedömning, from
  its uppsiktsplikt.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from uppsikt.accounts.access import EVERYWHERE, Perm, can, scope, units_with
from uppsikt.followup.models import FollowUp
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan

from .models import ControlAssessment, ControlPlan, Deviation, Measure, Risk


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


def _owned_measures(user, prefix: str = "") -> Q:
    """Follow-ups of åtgärder whose risk belongs to a unit where ``user`` has a role."""
    allowed = units_with(user, Perm.VIEW)
    if not allowed:
        return Q(pk__in=[])
    measures = Measure.objects.filter(risk__control_plan__unit__in=sorted(allowed))
    return Q(
        **{
            f"{prefix}content_type": ContentType.objects.get_for_model(Measure),
            f"{prefix}object_id__in": measures.values("pk"),
        }
    )


def followups(user) -> QuerySet[FollowUp]:
    if units_with(user, Perm.VIEW) is EVERYWHERE:
        return FollowUp.objects.all()
    return scope(FollowUp.objects.all(), user, published=_CLOSED | _owned_measures(user))


def published_measure_followups(user) -> Q:
    """Follow-ups of åtgärder that ``user`` reads beyond the units where they have a role:
    those of closed periods, and those of åtgärder whose risk belongs to one of their units.
    For readers of every kind of follow-up (the API) to add to their own scope."""
    measures = Q(content_type=ContentType.objects.get_for_model(Measure))
    return measures & (_CLOSED | _owned_measures(user))


def deviations(user) -> QuerySet[Deviation]:
    if units_with(user, Perm.VIEW) is EVERYWHERE:
        return Deviation.objects.all()
    closed = Q(followup__period__status=ReportingPeriod.Status.CLOSED)
    return scope(
        Deviation.objects.all(), user, published=closed | _owned_measures(user, "followup__")
    )


def _overseen_organisations(user) -> list[int]:
    """Organisations whose styrelse the user has a role on (uppsiktsplikt)."""
    allowed = units_with(user, Perm.VIEW)
    if not allowed:
        return []
    return list(
        Unit.objects.filter(kind=Unit.Kind.STYRELSE, pk__in=sorted(allowed)).values_list(
            "organisation_id", flat=True
        )
    )


def control_assessments(user) -> QuerySet[ControlAssessment]:
    if units_with(user, Perm.VIEW) is EVERYWHERE:
        return ControlAssessment.objects.all()
    overseen = Q(unit__organisation__in=_overseen_organisations(user))
    return scope(ControlAssessment.objects.all(), user, published=_CLOSED | overseen)


def can_read_followup(user, unit: Unit, period: ReportingPeriod, owner: Unit | None = None) -> bool:
    """Whether ``user`` reads ``unit``'s follow-up in ``period`` (of a risk ``owner`` owns)."""
    if not period.is_open or can(user, Perm.VIEW, unit):
        return True
    return owner is not None and can(user, Perm.VIEW, owner)
