"""Freezing an approved report (issue 6.3/7.2: a reviewed report never changes silently).

When a granskare approves a unit's report, the public version of its document is stored
as data, a new version each time (``ApprovedReport``, numbered 1, 2, …). The public page and
the public downloads show the latest, and every earlier one stays listed with its files;
figures imported afterwards do not change them. A report generated later for staff compares
itself with it and says so on its cover when the data has changed since the approval.

The document is stored as JSON: every block is a dataclass of ``document`` or ``charts``,
written with its class name and read back only into those classes (no pickle).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from uppsikt.followup.models import UnitReport

from . import charts, document
from .models import ApprovedReport, ApprovedReportFile

CLASSES = {
    cls.__name__: cls
    for cls in (
        document.Text,
        document.RichText,
        document.Bullets,
        document.Facts,
        document.Status,
        document.Example,
        document.Cell,
        document.Column,
        document.Row,
        document.Table,
        document.Chart,
        document.Entry,
        document.Section,
        document.ReportDocument,
        charts.Bar,
        charts.Label,
        charts.BarChart,
    )
}
# Not part of what was approved: when the file was made, the report's state line, and the
# organisation's colour and logo on its cover.
VOLATILE = ("generated_at", "state_label", "brand_colour", "logo")


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in CLASSES:
            raise TypeError(f"cannot store {name}")
        out = {"@": name}
        for field in dataclasses.fields(value):
            out[field.name] = encode(getattr(value, field.name))
        return out
    if isinstance(value, Decimal):
        return {"@d": str(value)}
    if isinstance(value, datetime.datetime):
        return {"@t": value.isoformat()}
    if isinstance(value, tuple):
        return {"@tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "@d" in value:
        return Decimal(value["@d"])
    if "@t" in value:
        return datetime.datetime.fromisoformat(value["@t"])
    if "@tuple" in value:
        return tuple(decode(item) for item in value["@tuple"])
    cls = CLASSES[value["@"]]
    names = {field.name for field in dataclasses.fields(cls)}
    return cls(**{key: decode(item) for key, item in value.items() if key in names})


def fingerprint(doc: document.ReportDocument) -> str:
    """A hash of what the document says, without when it was made or its state line."""
    data = encode(doc)
    for key in VOLATILE:
        data.pop(key, None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store(report: UnitReport, doc: document.ReportDocument) -> ApprovedReport:
    """Keep ``doc`` as a new approved version of ``report`` (numbered after the earlier
    ones, which stay with their files). Called inside the approval's transaction, which
    holds the report's row, so two approvals cannot take the same number."""
    last = report.approved_versions.aggregate(last=Max("number"))["last"] or 0
    return ApprovedReport.objects.create(
        report=report,
        number=last + 1,
        approved_at=report.reviewed_at or timezone.now(),
        approved_by=report.reviewed_by,
        document=encode(doc),
        fingerprint=fingerprint(doc),
    )


def _versions_of(unit, period) -> QuerySet[ApprovedReport]:
    return ApprovedReport.objects.filter(report__unit=unit, report__period=period).select_related(
        "report", "approved_by"
    )


def approved_version(unit, period) -> ApprovedReport | None:
    """The latest version of the unit's report while it is approved as it stands (not
    under revision): what today's data is compared with."""
    return (
        _versions_of(unit, period)
        .filter(report__state=UnitReport.State.GODKAND)
        .order_by("-number")
        .first()
    )


def current_version(unit, period) -> ApprovedReport | None:
    """The latest approved version, also while the report is being revised: what the
    public sees."""
    return _versions_of(unit, period).order_by("-number").first()


def version(unit, period, number: int) -> ApprovedReport | None:
    return _versions_of(unit, period).filter(number=number).first()


def versions(unit, period) -> list[ApprovedReport]:
    """Every approved version, newest first (without their documents)."""
    return list(_versions_of(unit, period).defer("document").order_by("-number"))


def approved_document(approved: ApprovedReport) -> document.ReportDocument:
    return decode(approved.document)


def kept_file(approved: ApprovedReport, fmt: str, make: Callable[[], bytes]) -> bytes:
    """The approved version as a file of ``fmt``: made once by ``make``, then kept."""
    kept = approved.files.filter(fmt=fmt).first()
    if kept is not None:
        return bytes(kept.data)
    data = make()
    ApprovedReportFile.objects.get_or_create(approved=approved, fmt=fmt, defaults={"data": data})
    return data
