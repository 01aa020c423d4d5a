"""Text in an exported spreadsheet is data, never a formula.

Anyone may write a risk, a row label or a comment that starts with ``=``; opened in Excel or
LibreOffice, such a cell must show that text, not run it (``=HYPERLINK(…)``, ``=cmd|…``).
Every XLSX and CSV that Uppsikt writes goes through here:

- **XLSX**: ``text_only(book)`` (called by ``workbook.to_bytes``, which every exporter uses)
  gives every cell holding a ``str`` the string data type explicitly. openpyxl otherwise
  writes a string starting with ``=`` as a formula. The text itself is not changed; a cell
  whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is also
  marked "quote prefix", so that editing it in Excel keeps it text. Numbers stay numbers.
- **CSV**: a CSV cell has no type, so ``csv_text(value)`` puts an apostrophe before a text
  that starts with one of those characters (``'=SUMMA(A1)``), as OWASP recommends; the
  apostrophe shows in the spreadsheet. A plain number written as text (``-2754``,
  ``−74,1``) is left alone. ``csv_untext`` takes the apostrophe off again, so that a file
  Uppsikt wrote imports unchanged; a text that itself starts with apostrophes before such a
  character gets one more on the way out, so the two are exact inverses.

    >>> csv_text("=1+1"), csv_text("-2754"), csv_text("Drift"), csv_text("'=x")
    ("'=1+1", '-2754', 'Drift', "''=x")
    >>> csv_untext(csv_text("'=x"))
    "'=x"
"""

from __future__ import annotations

import re
from typing import TypeVar, overload

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+\u2212]?[0-9][0-9 \u00a0\u202f.,]*$")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    return text.startswith(TRIGGERS)


def text_only(book) -> None:
    """Make every text cell of every sheet of ``book`` (an openpyxl ``Workbook``) a string."""
    for sheet in book.worksheets:
        # ``_cells`` holds only the cells that were written; iterating the sheet's range
        # would create empty ones.
        for cell in sheet._cells.values():
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if looks_like_formula(cell.value):
                    cell.quotePrefix = True


_T = TypeVar("_T")


@overload
def csv_text(value: str) -> str: ...
@overload
def csv_text(value: _T) -> _T: ...
def csv_text(value: object) -> object:
    """A value for a CSV cell: text that a spreadsheet would take for a formula gets a
    leading apostrophe; anything else (numbers, other text, None) is returned as it is."""
    if not isinstance(value, str) or _PLAIN_NUMBER.match(value):
        return value
    if looks_like_formula(value.lstrip("'")):
        return "'" + value
    return value


def csv_untext(value):
    """The text ``csv_text`` was given (for importers reading a CSV file back)."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value.lstrip("'")):
        return value[1:]
    return value
