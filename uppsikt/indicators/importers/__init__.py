"""Importing measurements from files (CSV, XLSX, Kolada JSON) or rows handed over as dicts.

Every format reads its file into ``SourceRow`` objects (field name → raw value, with the line
and column each came from) and hands them to one core, ``core.import_measurements``, which
validates every row, stages the valid ones and merges them into ``Measurement`` in one
transaction, keeping corrected values as revisions. The REST API can call the core with
dicts directly.

    >>> report = import_file(path, actor=user, skip_bad_rows=False)
    >>> report.imported, report.created, [e.message for e in report.errors]
"""

from .core import import_measurements
from .files import FORMATS, detect_format, import_file, read_rows
from .rows import ImportReport, RowError, SourceRow

__all__ = [
    "FORMATS",
    "ImportReport",
    "RowError",
    "SourceRow",
    "detect_format",
    "import_file",
    "import_measurements",
    "read_rows",
]
