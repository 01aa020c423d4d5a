"""CSV files: semicolon, comma or tab separated; UTF-8 (with or without BOM) or Windows-1252.

The first row names the columns (``indikator;organisation;period;kön;värde;status;källa``,
see ``tabular.ALIASES`` for other accepted names); blank lines are skipped. A row with fewer
fields than the header (for instance the last row of a truncated file) is reported, not
guessed at.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.utils.translation import gettext as _

from uppsikt.lib.limits import limits, too_many_rows

from .rows import FileRejected, RowError, SourceRow
from .tabular import map_header


def _refused(line: int | None, message: str) -> FileRejected:
    return FileRejected([RowError(line, "", "bad_encoding", message)])


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig`` when the bytes are UTF-8, else ``cp1252``; anything else is refused.

    Checked in pieces, so a file of millions of rows is never held twice in memory.
    """
    if b"\x00" in data[:4096]:
        raise _refused(
            None,
            _("Filen är inte text i UTF-8 eller Windows-1252 (den kan vara UTF-16 eller binär)."),
        )
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            position = start + error.start
            continue
        return encoding
    raise _refused(
        data.count(b"\n", 0, position) + 1,
        _("Filen är varken UTF-8 eller Windows-1252 (byte %(byte)s).")
        % {"byte": f"0x{data[position]:02X}"},
    )


def decode(data: bytes) -> str:
    """The whole text (for small files, e.g. JSON)."""
    return data.decode(detect_encoding(data))


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


@dataclass
class Opened:
    """A CSV file with its header read: what both the row reader and ``pgcsv`` start from."""

    encoding: str
    delimiter: str
    fields: dict[str, tuple[int, str]]  # field → (column index, column name as written)
    width: int  # columns in the header
    total: int  # lines after the header (rows, if none is blank)
    reader: object  # csv.reader positioned after the header


def open_csv(data: bytes) -> Opened:
    """Decode and read the header. Raises ``FileRejected``."""
    encoding = detect_encoding(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first_line = stream.readline()
    if not first_line.strip():
        raise FileRejected([RowError(1, "", "no_header", _("Filen saknar rubrikrad."))])
    stream.seek(0)
    delimiter = _delimiter(first_line)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    header = next(reader)
    fields = map_header(header)
    total = max(data.count(b"\n") - 1, 0) + (0 if data.endswith(b"\n") else 1)
    return Opened(encoding, delimiter, fields, len(header), total, reader)


def read(data: bytes) -> tuple[Iterator[SourceRow | RowError], int]:
    opened = open_csv(data)
    return _rows(opened.reader, opened.fields, opened.width, limits().rows), opened.total


def _rows(reader, fields, width: int, limit: int) -> Iterator[SourceRow | RowError]:
    """The rows after the header; the row past ``limit`` (blank ones too) refuses the file."""
    columns = {name: label for name, (_index, label) in fields.items()}
    names = list(fields)
    indexes = [index for index, _label in fields.values()]
    pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda cells: (cells[indexes[0]],))
    line = 1
    count = 1  # the header is a row of the file
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(
                reader.line_num, "", "bad_csv", _("Raden kan inte läsas: %(e)s.") % {"e": error}
            )
            return
        count += 1
        if count > limit:
            raise FileRejected([RowError(None, "", "too_many_rows", too_many_rows(limit).message)])
        line = reader.line_num
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            yield RowError(
                line,
                "",
                "short_row",
                _("Raden har %(n)s fält men rubrikraden %(width)s (är filen avkortad?).")
                % {"n": len(cells), "width": width},
            )
            continue
        yield SourceRow(line, dict(zip(names, pick(cells), strict=True)), columns)
