"""Reading a plan's versions: which exist, which is in force, which replaces which.

Which version is in force is worked out from the versions themselves, never stored, so it
cannot disagree with them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from .models import (
    Plan,
)


def versions_of(plan: Plan, user=None):
    """Every version of ``plan`` (same unit and year), newest first; scoped if ``user``."""
    queryset = Plan.objects.filter(unit_id=plan.unit_id, year=plan.year)
    if user is not None:
        queryset = queryset.visible_to(user)
    return queryset.select_related("decided_by").with_superseded().order_by("-version")


def current_plans(user):
    """The plans ``user`` may read, without versions that a newer decided version replaced:
    what the cascade between plans is drawn from."""
    return Plan.objects.visible_to(user).with_superseded().filter(superseded=False)


def current_versions():
    """One version per unit and year: the one in force, or before any decision the newest
    draft. Leaves out versions a newer decision replaced and revisions still being written."""
    decided_earlier = Plan.objects.filter(
        unit=OuterRef("unit"),
        year=OuterRef("year"),
        version__lt=OuterRef("version"),
        status__in=Plan.PUBLISHED_STATUSES,
    )
    newer = Plan.objects.filter(
        unit=OuterRef("unit"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    return (
        Plan.objects.with_superseded()
        .annotate(revision=Exists(decided_earlier), has_newer=Exists(newer))
        .filter(superseded=False)
        .exclude(status=Plan.Status.UTKAST, revision=True)
        .exclude(status=Plan.Status.UTKAST, has_newer=True)
        .values("pk")
    )


def in_force(plan: Plan) -> Plan | None:
    """The newest decided version of ``plan``'s unit and year (None before any decision)."""
    return (
        Plan.objects.filter(
            unit_id=plan.unit_id, year=plan.year, status__in=Plan.PUBLISHED_STATUSES
        )
        .order_by("-version")
        .first()
    )


def superseded_by(plan: Plan) -> Plan | None:
    """The decided version that replaces ``plan``, if ``plan`` is decided and ersatt."""
    if plan.status not in Plan.PUBLISHED_STATUSES:
        return None
    current = in_force(plan)
    return current if current is not None and current.version > plan.version else None


def draft_revision(plan: Plan) -> Plan | None:
    """A newer version of ``plan`` still being written, if there is one."""
    return (
        Plan.objects.filter(
            unit_id=plan.unit_id,
            year=plan.year,
            version__gt=plan.version,
            status=Plan.Status.UTKAST,
        )
        .order_by("-version")
        .first()
    )
