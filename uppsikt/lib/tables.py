"""A table someone else made, as lines of cells: a CSV or the first sheet of an XLSX file.

Every importer that takes "a CSV or Excel file with a header row" (budget figures, unit
trees) reads it here, then judges the cells in its own terms:

- CSV: UTF-8 (with or without BOM) or, failing that, Windows-1252 as Excel saves it;
  separated by semicolons (or tabs, or commas when the header has neither). A cell that
  Uppsikt's own export protected with an apostrophe (``'=…``, ``celltext``) is read without
  it, so a file Uppsikt wrote reads back unchanged.
- XLSX: checked before it is parsed (``xlsx_input``: size unpacked, zip bombs, DTDs), then
  the first sheet's rows.

Blank lines say nothing and are left out; each ``Line`` keeps its number in the file (the
row in the sheet), for problems that name it. At most ``limits`` rows are read. A file that
cannot be read at all raises ``FileError`` with a Swedish message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .celltext import csv_untext
from .limits import InputRefused, capped
from .xlsx_input import check_workbook, sheet_rows

ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass
class Line:
    number: int  # line in the file, row in the sheet
    cells: list[Any]


class FileError(ValueError):
    """The file cannot be read at all; the message is Swedish."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_csv(content: bytes) -> list[Line]:
    # No text has NUL bytes; UTF-16 (what "Unicode text" in Excel saves) has one in every
    # ASCII character, and would otherwise be read as Windows-1252 gibberish.
    encodings = () if b"\x00" in content else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("filen är varken UTF-8 eller Windows-1252; spara den som CSV (UTF-8)"))
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for cells in capped(reader):  # refused at the row past the limit, not after
            if any(not is_blank(cell) for cell in cells):  # blank lines say nothing: not kept
                lines.append(Line(reader.line_num, [csv_untext(cell) for cell in cells]))
    except csv.Error as exc:
        raise FileError(_("rad %(n)s: %(e)s") % {"n": reader.line_num, "e": exc}) from exc
    except InputRefused as exc:
        raise FileError(exc.message) from exc
    return lines


def read_xlsx(content: bytes) -> list[Line]:
    """The first sheet's rows; the file is checked before it is parsed (``xlsx_input``)."""
    try:
        check_workbook(content)
    except InputRefused as exc:
        raise FileError(exc.message) from exc
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(_("filen går inte att öppna som Excel-fil (XLSX)")) from exc
    try:
        rows = sheet_rows(book.worksheets[0])
        return [
            Line(number, list(values))
            for number, values in enumerate(rows, 1)
            if any(not is_blank(value) for value in values)  # blank rows say nothing
        ]
    except InputRefused as exc:
        raise FileError(exc.message) from exc
    finally:
        book.close()


def read_table(content: bytes) -> list[Line]:
    """A CSV or an XLSX file, told apart by its content (an XLSX file is a zip), never by
    its name."""
    return read_xlsx(content) if content.startswith(ZIP_SIGNATURE) else read_csv(content)
