"""Which reports the public may read: a unit's delårsrapport, verksamhetsberättelse or
årsredovisning once a granskare has approved it.

Every approval keeps a version (``ApprovedReport``, numbered 1, 2, …). A report with an
approved version stays public while it is returned for changes, submitted again or
withdrawn: the public sees its latest approved version with a note that a revision is under
way, never the revision itself. Reports never approved, and periodrapporter (the
organisation's internal monthly follow-up), are never public.

Two sets of units: ``published_unit_ids`` (what the public may open and which is listed)
and ``approved_unit_ids`` (whose *current* data is approved, so a public version built
from today's data may hold them: a unit under revision is left out of it).
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from uppsikt.followup.models import UnitReport
from uppsikt.periods.models import ReportingPeriod

from .models import ApprovedReport

PUBLIC_KINDS = (
    ReportingPeriod.Kind.DELARSRAPPORT,
    ReportingPeriod.Kind.VERKSAMHETSBERATTELSE,
    ReportingPeriod.Kind.ARSREDOVISNING,
)


def _has_version() -> Exists:
    return Exists(ApprovedReport.objects.filter(report=OuterRef("pk")))


def _public() -> QuerySet[UnitReport]:
    """Reports with an approved version, or approved before versions were kept."""
    return UnitReport.objects.filter(period__kind__in=PUBLIC_KINDS).filter(
        Q(state=UnitReport.State.GODKAND) | Q(_has_version())
    )


def published_reports() -> QuerySet[UnitReport]:
    """Every public report, newest period first, with its versions (``report.versions``,
    newest first)."""
    versions = ApprovedReport.objects.select_related("approved_by").defer("document")
    return (
        _public()
        .select_related("unit__organisation", "period", "reviewed_by")
        .prefetch_related(
            Prefetch("approved_versions", queryset=versions.order_by("-number"), to_attr="versions")
        )
        .order_by("-period__ends_on", "unit__organisation__code", "unit__position")
    )


def versions_of(report: UnitReport) -> list[ApprovedReport]:
    """A report's versions, newest first: as ``published_reports`` fetched them."""
    kept = getattr(report, "versions", None)
    if kept is None:
        kept = list(report.approved_versions.select_related("approved_by").order_by("-number"))
    return kept


def published_unit_ids(period: ReportingPeriod) -> set[int]:
    """Units whose report for ``period`` the public may read (perhaps an earlier version)."""
    return set(_public().filter(period=period).values_list("unit_id", flat=True))


def approved_unit_ids(period: ReportingPeriod) -> set[int]:
    """Units whose report for ``period`` is approved as it stands today (not under revision):
    the ones a public version built from today's data may show."""
    if period.kind not in PUBLIC_KINDS:
        return set()
    return set(
        UnitReport.objects.filter(period=period, state=UnitReport.State.GODKAND).values_list(
            "unit_id", flat=True
        )
    )


def is_published(unit, period: ReportingPeriod) -> bool:
    return unit.pk in published_unit_ids(period)


def under_revision(report: UnitReport) -> bool:
    """An approved report returned for changes and not yet approved again."""
    return report.state != UnitReport.State.GODKAND
