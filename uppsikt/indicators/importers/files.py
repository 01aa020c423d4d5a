"""From a file to rows: pick the reader by format (or the file's name) and run the import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from uppsikt.lib.progress import Progress, no_progress
from uppsikt.lib.typing import Actor

from . import csvfile, kolada, pgcsv, xlsx
from .core import import_measurements
from .rows import FileRejected, ImportReport, RowError, SourceRow

FORMATS = {"csv": csvfile, "xlsx": xlsx, "kolada": kolada}
FORMAT_LABELS = {
    "csv": _("CSV (semikolon eller komma, UTF-8 eller Windows-1252)"),
    "xlsx": _("Excel (XLSX)"),
    "kolada": _("Kolada (JSON)"),
}
_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".json": "kolada"}


def detect_format(name: str) -> str | None:
    """The format a file name suggests: ``.csv`` → csv, ``.xlsx`` → xlsx, ``.json`` → kolada."""
    return _BY_SUFFIX.get(Path(name).suffix.lower())


def read_rows(data: bytes, format: str) -> tuple[Iterator[SourceRow | RowError], int | None]:
    """The rows of a file's content and, if cheap to know, how many there are.

    Raises ``FileRejected`` when the file cannot be read at all.
    """
    if format not in FORMATS:
        raise FileRejected(
            [RowError(None, "", "unknown_format", _("Okänt format ”%(f)s”.") % {"f": format})]
        )
    return FORMATS[format].read(data)


def import_file(
    path: str | Path | None = None,
    *,
    data: bytes | None = None,
    filename: str = "",
    format: str | None = None,
    actor: Actor | None = None,
    skip_bad_rows: bool = False,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Read and import a file (by ``path``, or its ``data`` and ``filename``)."""
    if data is None:
        if path is None:
            raise TypeError("import_file() needs a path or the data")
        data = Path(path).read_bytes()
    filename = filename or (Path(path).name if path else "")
    format = format or detect_format(filename) or "csv"
    if format == "csv":
        try:
            report = pgcsv.import_csv(
                data,
                actor=actor,
                filename=filename,
                skip_bad_rows=skip_bad_rows,
                dry_run=dry_run,
                progress=progress,
            )
        except FileRejected as rejected:
            return ImportReport(filename=filename, format=format, errors=rejected.errors)
        if report is not None:
            return report
    try:
        rows, total = read_rows(data, format)
    except FileRejected as rejected:
        return ImportReport(filename=filename, format=format, errors=rejected.errors)
    default_source = "Kolada" if format == "kolada" else ""
    try:
        return import_measurements(
            rows,
            actor=actor,
            filename=filename,
            format=format,
            skip_bad_rows=skip_bad_rows,
            dry_run=dry_run,
            default_source=default_source,
            total=total,
            progress=progress,
        )
    except FileRejected as rejected:  # a reader found the file broken half-way
        return ImportReport(filename=filename, format=format, errors=rejected.errors)
