"""The rows of an indicator import and what is read from them: the fields and their column
names, one bad row (``RowError``), a file that cannot be read (``FileRejected``), a row as a
reader found it (``SourceRow``), the report of an import (``ImportReport``), and the reading
of single values (numbers, codes). Shared by every reader and the import core (``core.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.lib.numbers import NumberError, parse_number

from ..models import Measurement

FIELDS = ("indicator", "organisation", "period", "gender", "value", "status", "source")
REQUIRED = ("indicator", "organisation", "period", "value")
# The column names a file uses (and the downloadable template has), by field.
COLUMN_NAMES = {
    "indicator": "indikator",
    "organisation": "organisation",
    "period": "period",
    "gender": "kön",
    "value": "värde",
    "status": "status",
    "source": "källa",
}
GENDERS = {
    "": "T",
    "t": "T",
    "totalt": "T",
    "k": "K",
    "kvinnor": "K",
    "m": "M",
    "män": "M",
    "man": "M",
}
STATUSES = {
    "": Measurement.DataStatus.SLUTLIG,
    "s": Measurement.DataStatus.SLUTLIG,
    "slutlig": Measurement.DataStatus.SLUTLIG,
    "slutligt": Measurement.DataStatus.SLUTLIG,
    "p": Measurement.DataStatus.PRELIMINAR,
    "prel": Measurement.DataStatus.PRELIMINAR,
    "preliminar": Measurement.DataStatus.PRELIMINAR,
    "preliminär": Measurement.DataStatus.PRELIMINAR,
    "preliminärt": Measurement.DataStatus.PRELIMINAR,
    "preliminary": Measurement.DataStatus.PRELIMINAR,
}
MAX_WHOLE_DIGITS = 12  # Measurement.value: 16 digits, 4 of them decimals
MAX_DECIMALS = 4
_PLAIN_NUMBER = re.compile(r"^-?\d{1,12}(?:,\d{1,4})?$")


@dataclass(frozen=True)
class RowError:
    """One bad row (or a file-level problem when ``line`` is None), for people and the API."""

    line: int | None
    column: str
    code: str  # machine-readable: unknown_indicator, bad_number, duplicate …
    message: str  # Swedish, for people

    def to_data(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = _("rad %(line)s") % {"line": self.line} if self.line else _("filen")
        if self.column:
            where += ", " + _("kolumn %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


class FileRejected(Exception):
    """The file cannot be read at all (wrong encoding, not a workbook, no header …)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class SourceRow:
    """One row as a format read it: raw values by field, and where each came from."""

    line: int
    values: Mapping[str, object]
    columns: Mapping[str, str] = field(default_factory=dict)  # field → column as in the file

    def column(self, name: str) -> str:
        return self.columns.get(name) or COLUMN_NAMES[name]


@dataclass
class ImportReport:
    filename: str
    format: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # bad rows left out with skip_bad_rows
    empty: int = 0  # rows the source marks as having no value (Kolada "Missing")
    withdrawn: int = 0  # current values the source withdrew (rows with "withdrawn")
    batch_id: int | None = None
    # Problems are listed up to ``max_errors`` (``lib.limits``); the rest are only counted.
    max_errors: int | None = None
    more_errors: int = 0
    more_bad_lines: int = 0
    _last_line: int | None = field(default=None, repr=False)

    def add_error(self, error: RowError) -> None:
        """Keep ``error`` while fewer than ``max_errors`` are listed, else count it.

        Errors arrive row by row (a row's errors together), so a new line is a new bad row.
        """
        if self.max_errors is None or len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.more_errors += 1
            self.more_bad_lines += error.line != self._last_line
        self._last_line = error.line

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors}) + self.more_bad_lines

    def to_data(self, max_errors: int | None = None) -> dict:
        """JSON-ready, e.g. for a job's result page or the API (errors possibly capped)."""
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "filename": self.filename,
            "format": self.format,
            "rows": self.rows,
            "imported": self.imported,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "empty": self.empty,
            "withdrawn": self.withdrawn,
            "error_count": self.error_count,
            "errors": [e.to_data() for e in errors],
            "batch_id": self.batch_id,
        }


# --- Reading single values -------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_value(raw: object) -> Decimal:
    """A measured value: Swedish text ("74,1", "1 183", "−2,5") or a number from a workbook.

    Raises ``ValueError`` with a Swedish message.
    """
    if isinstance(raw, str) and _PLAIN_NUMBER.match(raw):
        # The common case, and within the limits by its pattern: no further checks.
        return Decimal(raw.replace(",", "."))
    if isinstance(raw, Decimal):
        number = raw
    else:
        try:
            number = parse_number(raw.strip() if isinstance(raw, str) else raw)
        except NumberError as error:
            raise ValueError(str(error)) from error
    if not number.is_finite():
        raise ValueError(_("Värdet är inte ett tal."))
    exponent = number.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -MAX_DECIMALS
        and number != number.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    ):
        raise ValueError(_("Värdet har fler än fyra decimaler."))
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise ValueError(_("Värdet är för stort (högst tolv siffror före decimalkommat)."))
    return number


def read_code(raw: object) -> str:
    """An organisation code; a workbook that dropped leading zeros (18 → 0018) is forgiven."""
    text = _text(raw)
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    return text
