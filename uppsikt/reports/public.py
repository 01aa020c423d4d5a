"""Which reports the public may read: a unit's delårsrapport, verksamhetsberättelse or
årsredovisning once a granskare has approved it (``UnitReport.State.GODKAND``).

Reports under work, submitted or returned are never public, nor are periodrapporter (the
organisation's internal monthly follow-up). A returned report stops being public.
"""

from django.db.models import QuerySet

from uppsikt.followup.models import UnitReport
from uppsikt.periods.models import ReportingPeriod

PUBLIC_KINDS = (
    ReportingPeriod.Kind.DELARSRAPPORT,
    ReportingPeriod.Kind.VERKSAMHETSBERATTELSE,
    ReportingPeriod.Kind.ARSREDOVISNING,
)


def published_reports() -> QuerySet[UnitReport]:
    """Every approved report of a public kind, newest period first."""
    return (
        UnitReport.objects.filter(state=UnitReport.State.GODKAND, period__kind__in=PUBLIC_KINDS)
        .select_related("unit__organisation", "period", "reviewed_by")
        .order_by("-period__ends_on", "unit__organisation__code", "unit__position")
    )


def published_unit_ids(period: ReportingPeriod) -> set[int]:
    """Units whose report for ``period`` the public may read."""
    return set(published_reports().filter(period=period).values_list("unit_id", flat=True))


def is_published(unit, period: ReportingPeriod) -> bool:
    return unit.pk in published_unit_ids(period)
