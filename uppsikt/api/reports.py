"""Published reports (``reports.public``): each unit's approved delårsrapport,
verksamhetsberättelse or årsredovisning with every approved version and its files.

Public like the report pages: the same for every caller, with or without a token. A report
returned for changes stays listed with its last approved version (``under_revision``);
nothing of the revision is shown.
"""

import datetime

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from uppsikt.followup.models import UnitReport
from uppsikt.reports.build import FORMATS
from uppsikt.reports.public import published_reports, under_revision, versions_of
from uppsikt.reports.published import version_rows

from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, Id, OrganisationCode, PathId, answers

router = Router(tags=["Rapporter"])


class ReportFileOut(Schema):
    format: str = Field(description="pdf, docx, xlsx eller html.")
    url: str


class ReportVersionOut(Schema):
    number: int = Field(description="Versionens nummer: 1 för det första godkännandet, 2 …")
    approved_at: datetime.datetime
    approved_by: str = Field(description="Granskarens namn (tomt: okänt).")
    is_current: bool = Field(description="Den senast godkända versionen, den som visas.")
    url: str = Field(description="Versionens sida; adressen ändras aldrig.")
    files: list[ReportFileOut]


class PublishedReportOut(Schema):
    id: int = Field(description="Enhetens rapport för uppföljningstillfället.")
    organisation: str
    unit_id: int
    unit_name: str
    period_id: int
    period_name: str
    period_kind: str
    ends_on: datetime.date
    url: str = Field(description="Rapportens sida (den senast godkända versionen).")
    under_revision: bool = Field(
        description="Rapporten har återförts för ändringar och inte godkänts igen; den "
        "senast godkända versionen visas under tiden."
    )
    versions: list[ReportVersionOut] = Field(description="Senaste först.")


class ReportFilters(Schema):
    organisation: str | None = OrganisationCode(None)
    year: int | None = Field(None, ge=1900, le=2200)
    period: Id | None = Field(None, description="Uppföljningstillfällets id.")
    unit: Id | None = None


PublishedReportPage = page_of(PublishedReportOut, "PublishedReportPage")


def _out(request, report: UnitReport) -> dict:
    unit, period = report.unit, report.period
    rows = version_rows(unit, period, versions_of(report))
    return {
        "id": report.pk,
        "organisation": unit.organisation.code,
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "period_id": period.pk,
        "period_name": period.name,
        "period_kind": period.kind,
        "ends_on": period.ends_on,
        "url": request.build_absolute_uri(
            reverse("reports:page", args=[unit.organisation.code, period.slug, unit.slug])
        ),
        "under_revision": bool(rows) and under_revision(report),
        "versions": [
            {
                "number": row.number,
                "approved_at": row.approved_at,
                "approved_by": row.approved_by,
                "is_current": row.is_current,
                "url": request.build_absolute_uri(row.url),
                "files": [
                    {"format": key, "url": request.build_absolute_uri(url)}
                    for key, (url, _label) in zip(FORMATS, row.downloads, strict=True)
                ],
            }
            for row in rows
        ],
    }


@router.get(
    "",
    response=answers(200, PublishedReportPage),
    summary="Publicerade rapporter",
    description="Godkända delårsrapporter, verksamhetsberättelser och årsredovisningar, "
    "senaste period först, med varje godkänd version och dess filer.",
)
def list_published_reports(request, page: Query[PageParams], filters: Query[ReportFilters]):
    lookups = {
        "organisation": "unit__organisation__code",
        "year": "period__year",
        "period": "period_id",
        "unit": "unit_id",
    }
    return paginate(
        filtered(published_reports(), filters, lookups), page, lambda row: _out(request, row)
    )


@router.get(
    "/{report_id}",
    response=answers(200, PublishedReportOut, *READ),
    summary="En publicerad rapport",
    description="404 för en rapport som inte har någon godkänd version.",
)
def get_published_report(request, report_id: int = PathId()):
    report = published_reports().filter(pk=report_id).first()
    if report is None:
        raise Http404
    return _out(request, report)
