"""Rows of the organisations, units, plans, goals and assessments datasets.

What is public is decided where it always is: ``accounts.access`` through each model's
``visible_to``/``scope`` for a visitor who is not signed in. Only decided plans (every
decided version, with whether it is the one in force) and their goals; only decided
assessments of those goals.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from uppsikt.accounts.access import scope
from uppsikt.governance.models import NOT_ASSESSABLE
from uppsikt.governance.words import styrmodell_for
from uppsikt.indicators.models import Assessment
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.plans.models import Goal, Plan

from ..dataset import Row

CHUNK = 2000
MET, NOT_MET = "uppfyllt", "ej_uppfyllt"


def public_plans(organisation: Organisation | None):
    """Decided plans as the public reads them, each marked ``superseded`` or not."""
    plans = Plan.objects.visible_to(AnonymousUser()).published().with_superseded()
    if organisation is not None:
        plans = plans.filter(unit__organisation=organisation)
    return plans


def organisation_rows(organisation: Organisation | None) -> Iterator[Row]:
    organisations = Organisation.objects.order_by("code")
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    for org in organisations:
        yield (org.code, org.name, org.kind, org.county_code or None)


def unit_rows(organisation: Organisation | None) -> Iterator[Row]:
    units = Unit.objects.select_related("organisation", "parent").order_by(
        "organisation__code", "position", "name"
    )
    if organisation is not None:
        units = units.filter(organisation=organisation)
    for unit in units.iterator(chunk_size=CHUNK):
        parent = unit.parent.slug if unit.parent else None
        yield (unit.organisation.code, unit.slug, unit.name, unit.kind, parent, unit.position)


def plan_rows(organisation: Organisation | None) -> Iterator[Row]:
    plans = public_plans(organisation).select_related("unit__organisation", "decided_by")
    plans = plans.order_by("unit__organisation__code", "unit__position", "year", "version")
    for plan in plans.iterator(chunk_size=CHUNK):
        yield (
            plan.pk,
            plan.unit.organisation.code,
            plan.unit.slug,
            plan.unit.name,
            plan.year,
            plan.horizon_end,
            plan.title,
            plan.version,
            plan.status,
            not plan.superseded,
            plan.decided_by.name if plan.decided_by else None,
            plan.decided_on,
            plan.is_example,
            plan.source or None,
            settings.SITE_URL + plan.get_absolute_url(),
        )


def goal_rows(organisation: Organisation | None) -> Iterator[Row]:
    plans = public_plans(organisation)
    in_force = {pk: not superseded for pk, superseded in plans.values_list("pk", "superseded")}
    public_goals = Goal.objects.filter(plan__in=plans.values("pk"))
    goals = (
        public_goals.select_related("plan__unit__organisation", "perspective")
        .prefetch_related("contributes_to")
        .order_by("plan__unit__organisation__code", "plan__unit__position", "plan_id", "position")
    )
    public_ids = set(public_goals.values_list("pk", flat=True))
    for goal in goals.iterator(chunk_size=CHUNK):
        plan = goal.plan
        words = styrmodell_for(plan.unit.organisation_id)
        targets = sorted(g.pk for g in goal.contributes_to.all() if g.pk in public_ids)
        yield (
            goal.pk,
            plan.pk,
            plan.unit.organisation.code,
            plan.unit.slug,
            plan.year,
            plan.version,
            in_force.get(plan.pk, False),
            goal.kind,
            words.goal_kind_label(goal.kind),
            goal.number or None,
            goal.text,
            goal.description or None,
            goal.perspective.name if goal.perspective else None,
            " ".join(str(pk) for pk in targets) or None,
            settings.SITE_URL + goal.get_absolute_url(),
        )


def assessment_code(organisation_id: int, key: str) -> tuple[str, int | None, int]:
    """The step's machine code shared by every organisation (``uppfyllt`` when the
    styrmodell counts the step as met, ``ej_bedombar``, else ``ej_uppfyllt``), its place on
    the scale (1 is the best; none for "ej bedömbar") and the scale's number of steps."""
    words = styrmodell_for(organisation_id)
    keys = [step.key for step in words.steps]
    if key == NOT_ASSESSABLE:
        return NOT_ASSESSABLE, None, len(keys)
    place = keys.index(key) + 1 if key in keys else None
    return (MET if words.counts_as_met(key) else NOT_MET), place, len(keys)


def assessment_rows(organisation: Organisation | None) -> Iterator[Row]:
    plans = public_plans(organisation)
    decided = scope(
        Assessment.objects.filter(decided_status__isnull=False),
        AnonymousUser(),
        published=Q(goal__plan__status__in=Plan.PUBLISHED_STATUSES),
    ).filter(goal__plan__in=plans.values("pk"))
    decided = decided.select_related("goal__plan__unit__organisation").order_by(
        "goal__plan__unit__organisation__code", "goal__plan_id", "goal__position", "period"
    )
    for assessment in decided.iterator(chunk_size=CHUNK):
        goal, plan = assessment.goal, assessment.goal.plan
        org_id = plan.unit.organisation_id
        key = assessment.decided_status or ""
        code, place, steps = assessment_code(org_id, key)
        yield (
            goal.pk,
            plan.pk,
            plan.unit.organisation.code,
            plan.unit.slug,
            plan.year,
            assessment.period,
            goal.number or None,
            goal.text,
            styrmodell_for(org_id).status_label(key, as_stored=True),
            key,
            code,
            place,
            steps,
            assessment.comment or None,
            timezone.localdate(assessment.decided_at) if assessment.decided_at else None,
            assessment.is_example_decision,
        )
