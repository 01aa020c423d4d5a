"""What the public site lists of reports: the organisation's approved delårsrapporter,
verksamhetsberättelser and årsredovisningar (``reports.public``), each with every approved
version and its files at the reports app's own public URLs, and a note while a revision is
under way. Reports never approved, and periodrapporter, are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from uppsikt.followup.models import UnitReport
from uppsikt.organisations.models import Organisation
from uppsikt.reports.public import published_reports, under_revision, versions_of
from uppsikt.reports.published import VersionRow, current_downloads, version_rows


@dataclass
class ListedReport:
    report: UnitReport
    url: str
    versions: list[VersionRow]
    downloads: list[tuple[str, str]]  # the current files, when no version was kept
    revising: bool


def organisation_reports(organisation: Organisation) -> list[ListedReport]:
    """The organisation's public reports, newest period first."""
    listed = []
    for report in published_reports().filter(unit__organisation=organisation):
        unit, period = report.unit, report.period
        rows = version_rows(unit, period, versions_of(report))
        listed.append(
            ListedReport(
                report,
                reverse("reports:page", args=[organisation.code, period.slug, unit.slug]),
                rows,
                [] if rows else current_downloads(unit, period),
                bool(rows) and under_revision(report),
            )
        )
    return listed
