"""The look every XLSX export shares: a bold title, a shaded header row, number formats,
column widths. Budget tables, the internkontrollplan, the reports and the import templates
all use these, so a workbook from Uppsikt looks the same whichever page it came from.
Every one is saved with ``to_bytes``, which writes every text cell as text, never as a
formula (``celltext.text_only``).

    >>> number_format(1)
    '#,##0.0;-#,##0.0'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .celltext import text_only

TITLE_FONT = Font(bold=True, size=13)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1D2433"))
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom")
SUM_BORDER = Border(top=Side(style="thin", color="1D2433"))
LINK_FONT = Font(color="1F4E79", underline="single")


def number_format(decimals: int = 0) -> str:
    """Thousands grouped, ``decimals`` places shown (the value itself is not rounded), and
    an explicit minus, whatever the reader's locale does with negatives."""
    positive = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f"{positive};-{positive}"


def write_title(sheet, text: str, *, font: Font = TITLE_FONT) -> None:
    """The sheet's title in A1."""
    sheet["A1"] = text
    sheet["A1"].font = font


def style_header(cells: Iterable) -> None:
    """A table's header row: bold on a light shade, a rule under it, long labels wrapped."""
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = HEADER_ALIGNMENT


def set_widths(sheet, widths: Sequence[float], *, first: int = 1) -> None:
    """Column widths (in characters) from column ``first`` on."""
    for index, width in enumerate(widths, start=first):
        sheet.column_dimensions[get_column_letter(index)].width = width


def to_bytes(book: Workbook) -> bytes:
    """The workbook as an XLSX file; text cells are written as text (``celltext``)."""
    text_only(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
