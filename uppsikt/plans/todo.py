"""Att göra from the plans (``uppsikt.tasks.registry``; registered in ``apps``):

- **Uppdrag given to a unit** (``plans.assignment:<uppdrag>:<unit>``): an uppdrag in
  another unit's plan in force for the year, naming as responsible a unit whose follow-up
  the person writes (``tasks.people.writing_units``). An uppdrag has no date of its own, so
  the task has no deadline (its follow-up is due with the unit's report). The link opens
  the uppdrag in the plan that gives it.
- **A plan awaiting decision** (``plans.decide:<plan>``): the newest draft of a unit's
  plan, sent for beredning, for those who may decide it (the planning right on its unit,
  ``versions.decide_plan``). No deadline; the link opens the decision form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm
from uppsikt.lib.richtext import one_line
from uppsikt.tasks import people
from uppsikt.tasks.registry import Task

from .models import Assignment, Plan
from .queries import current_versions


def assignments_given(user, today: datetime.date) -> Iterator[Task]:
    """Uppdrag of this year's plans in force given to the units ``user`` writes for."""
    units = people.writing_units(user)
    if not units:
        return
    in_force = Plan.objects.published().filter(pk__in=current_versions(), year=today.year)
    assignments = (
        Assignment.objects.filter(plan__in=in_force, responsible_id__in=units)
        .exclude(plan__unit_id=F("responsible_id"))
        .select_related("plan__unit", "responsible")
        .order_by("plan__unit__position", "plan_id", "position")
    )
    for assignment in assignments:
        plan = assignment.plan
        yield Task(
            key=f"plans.assignment:{assignment.pk}:{assignment.responsible_id}",
            kind="assignment",
            title=one_line(assignment.text, 120),
            url=f"{plan.get_absolute_url()}#assignment-{assignment.pk}",
            unit_name=assignment.responsible.name if assignment.responsible else "",
            detail=_("Uppdrag från %(plan)s") % {"plan": plan.title},
            organisation_id=plan.unit.organisation_id,
        )


def plans_to_decide(user, today: datetime.date) -> Iterator[Task]:
    """Drafts sent for beredning that ``user`` may decide, newest version only."""
    units = people.held(user, Perm.PLAN)
    if not units:
        return
    newer = Plan.objects.filter(
        unit=OuterRef("unit"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    plans = (
        Plan.objects.filter(
            status=Plan.Status.UTKAST, review_requested_at__isnull=False, unit_id__in=units
        )
        .exclude(Exists(newer))
        .select_related("unit")
        .order_by("review_requested_at", "pk")
    )
    for plan in plans:
        yield Task(
            key=f"plans.decide:{plan.pk}",
            kind="decide",
            title=one_line(plan.title, 120),
            url=reverse("plans:decide", args=[plan.pk]),
            unit_name=plan.unit.name,
            detail=_("Skickad på beredning %(date)s.")
            % {"date": date_format(timezone.localtime(plan.review_requested_at), "j F Y")},
            organisation_id=plan.unit.organisation_id,
        )
