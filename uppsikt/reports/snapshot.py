"""Freezing an approved report (issue 6.3/7.2: a reviewed report never changes silently).

When a granskare approves a unit's report, the public version of its document is stored
as data (``ApprovedReport``). The public page and the public downloads show that version;
figures imported afterwards do not change it. A report generated later for staff compares
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
# Not part of what was approved: when the file was made, and the report's state line.
VOLATILE = ("generated_at", "state_label")


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
    """Keep ``doc`` as the public version of the approved ``report`` (replacing an earlier
    one, and the files made from it)."""
    approved, _created = ApprovedReport.objects.update_or_create(
        report=report,
        defaults={
            "approved_at": report.reviewed_at or timezone.now(),
            "document": encode(doc),
            "fingerprint": fingerprint(doc),
        },
    )
    approved.files.all().delete()
    return approved


def approved_version(unit, period) -> ApprovedReport | None:
    """The frozen version of the unit's report, if it is approved and was frozen."""
    return (
        ApprovedReport.objects.filter(
            report__unit=unit, report__period=period, report__state=UnitReport.State.GODKAND
        )
        .select_related("report__reviewed_by")
        .first()
    )


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
