"""CSV files: semicolon, comma or tab separated; UTF-8 (with or without BOM) or Windows-1252.

The first row names the columns (``indikator;organisation;period;kön;värde;status;källa``,
see ``tabular.ALIASES`` for other accepted names); blank lines are skipped. A row with fewer
fields than the header (for instance the last row of a truncated file) is reported, not
guessed at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .core import FileRejected, RowError, SourceRow
from .tabular import map_header


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else Windows-1252; anything else is refused."""
    if b"\x00" in data[:4096]:
        raise FileRejected(
            [
                RowError(
                    None,
                    "",
                    "bad_encoding",
                    _(
                        "Filen är inte text i UTF-8 eller Windows-1252 (den kan vara UTF-16 eller binär)."
                    ),
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileRejected(
            [
                RowError(
                    line,
                    "",
                    "bad_encoding",
                    _("Filen är varken UTF-8 eller Windows-1252 (byte %(byte)s).")
                    % {"byte": f"0x{data[error.start]:02X}"},
                )
            ]
        ) from error


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read(data: bytes) -> tuple[Iterator[SourceRow | RowError], int]:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise FileRejected([RowError(1, "", "no_header", _("Filen saknar rubrikrad."))])
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    header = next(reader)
    fields = map_header(header)
    total = max(text.count("\n") - 1, 0) + (0 if text.endswith("\n") else 1)
    return _rows(reader, fields, len(header)), total


def _rows(reader, fields, width: int) -> Iterator[SourceRow | RowError]:
    columns = {name: label for name, (_index, label) in fields.items()}
    line = 1
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
        values = {name: cells[index] for name, (index, _label) in fields.items()}
        yield SourceRow(line, values, columns)
