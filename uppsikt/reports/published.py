"""The public's side of reports: the list of approved reports, a report's approved version
and its earlier versions, and their files (``versions``: ``ApprovedReport``).

Every URL here is open to anyone once the unit's report has an approved version. While the
report is returned for changes, the latest approved version is shown with a note that a
revision is under way; the revision itself is never shown here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.names import person_name
from uppsikt.followup.models import UnitReport
from uppsikt.lib.pagecache import cache_public
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .build import FORMATS, approved_file, build_document
from .build import render as render_file
from .models import ApprovedReport
from .public import is_published, published_reports, under_revision, versions_of
from .snapshot import approved_document, current_version, version, versions


@dataclass(frozen=True)
class VersionRow:
    """One approved version as the pages list it."""

    number: int
    approved_at: datetime.datetime
    approved_by: str
    is_current: bool
    url: str
    downloads: list[tuple[str, str]]


def published_target(code: str, slug: str, unit_slug: str) -> tuple[Unit, ReportingPeriod]:
    """The unit and period of a public report; 404 for anything else."""
    unit = get_object_or_404(
        Unit.objects.select_related("organisation"), organisation__code=code, slug=unit_slug
    )
    period = get_object_or_404(ReportingPeriod, organisation=unit.organisation, slug=slug)
    if not is_published(unit, period):
        raise Http404
    return unit, period


def version_rows(unit: Unit, period: ReportingPeriod, kept=None) -> list[VersionRow]:
    """Every approved version of the unit's report, newest first, with its page and files."""
    kept = versions(unit, period) if kept is None else kept
    args = [unit.organisation.code, period.slug, unit.slug]
    rows = []
    for index, approved in enumerate(kept):
        number = approved.number
        rows.append(
            VersionRow(
                number=number,
                approved_at=approved.approved_at,
                approved_by=person_name(approved.approved_by),
                is_current=index == 0,
                url=reverse("reports:version", args=[*args, number]),
                downloads=[
                    (reverse("reports:version_download", args=[*args, number, key]), fmt.label)
                    for key, fmt in FORMATS.items()
                ],
            )
        )
    return rows


def current_downloads(unit: Unit, period: ReportingPeriod) -> list[tuple[str, str]]:
    """(url, label) of the current version's files: these URLs always give the latest."""
    args = [unit.organisation.code, period.slug, unit.slug]
    return [
        (reverse("reports:download", args=[*args, key]), fmt.label) for key, fmt in FORMATS.items()
    ]


@cache_public
def published_list(request):
    """Every approved delårsrapport, verksamhetsberättelse and årsredovisning, for anyone,
    with every approved version and its files."""
    reports = [
        (report, version_rows(report.unit, report.period, versions_of(report)))
        for report in published_reports()
    ]
    return render(
        request,
        "reports/published_list.html",
        {"reports": reports, "breadcrumbs": [(_("Rapporter"), None)]},
    )


def public_side(unit: Unit, period: ReportingPeriod) -> dict:
    """What the public sees of a published report, for its page (the public's and the
    staff's): every approved version, the current one, and whether a revision is under way
    while the public reads the last approved version."""
    rows = version_rows(unit, period)
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    return {
        "versions": rows,
        "current": rows[0] if rows else None,
        "revising": bool(rows) and report is not None and under_revision(report),
        "downloads": [] if rows else current_downloads(unit, period),
    }


def _page(request, unit, period, document, shown: ApprovedReport | None):
    side = public_side(unit, period)
    current = side["current"]
    crumbs = [(_("Rapporter"), reverse("reports:published")), (document.full_title, None)]
    if shown is not None and current is not None and shown.number != current.number:
        crumbs[-1] = (document.full_title, reverse("reports:page", args=_args(unit, period)))
        crumbs.append((_("Version %(number)s") % {"number": shown.number}, None))
    return render(
        request,
        "reports/report_page.html",
        {
            "document": document,
            "unit": unit,
            "period": period,
            "breadcrumbs": crumbs,
            "shown": shown,
            **side,
        },
    )


def _args(unit, period) -> list[str]:
    return [unit.organisation.code, period.slug, unit.slug]


def public_page(request, unit: Unit, period: ReportingPeriod):
    """The latest approved version (also while a revision is under way)."""
    approved = current_version(unit, period)
    if approved is not None:
        document = approved_document(approved)
    else:  # approved before versions were kept: today's public version
        document = build_document(unit, period, public=True)
    return _page(request, unit, period, document, approved)


def version_page(request, code: str, slug: str, unit_slug: str, number: int):
    """One approved version, the current one or an earlier one: its URL never changes."""
    unit, period = published_target(code, slug, unit_slug)
    approved = version(unit, period, number)
    if approved is None:
        raise Http404
    return _page(request, unit, period, approved_document(approved), approved)


def _file(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{FORMATS[fmt].extension}"'
    return response


def download(request, code: str, slug: str, unit_slug: str, fmt: str):
    """The latest approved version as a file, for anyone: exactly what the granskare
    approved, whatever has changed since (and whatever revision is under way)."""
    if fmt not in FORMATS:
        raise Http404
    unit, period = published_target(code, slug, unit_slug)
    approved = current_version(unit, period)
    if approved is not None:
        data = approved_file(approved, fmt)
    else:  # approved before versions were kept: today's public version
        document = build_document(unit, period, public=True)
        data = render_file(document, fmt, organisation=unit.organisation)
    return _file(data, fmt, f"{period.slug}-{unit.slug}")


def version_download(request, code: str, slug: str, unit_slug: str, number: int, fmt: str):
    """One approved version as a file; made once, then kept."""
    if fmt not in FORMATS:
        raise Http404
    unit, period = published_target(code, slug, unit_slug)
    approved = version(unit, period, number)
    if approved is None:
        raise Http404
    return _file(approved_file(approved, fmt), fmt, f"{period.slug}-{unit.slug}-version-{number}")
