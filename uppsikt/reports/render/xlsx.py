"""The report's tables as an XLSX workbook: one sheet per table, numbers as numbers.

The first sheet says what the workbook is and lists every sheet with a link. Budget
figures are numeric cells in the table's display unit (mnkr, not rounded; the cell format
rounds), indicator counts are integers; headers are bold on a shaded row that stays in view.
The organisation's logo, when it has one, stands beside the first sheet's title with its
alternative text ("Logotyp för …"), as on the other formats' covers.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor, SpreadsheetDrawing
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Font
from openpyxl.utils.units import pixels_to_EMU
from openpyxl.worksheet.worksheet import Worksheet

from uppsikt.lib.workbook import (
    LINK_FONT,
    SUM_BORDER,
    set_widths,
    style_header,
    to_bytes,
    write_title,
)

from ..document import ReportDocument, Table
from ..stamps import set_core_times

LOGO_HEIGHT = 64  # pixels, beside the title
LOGO_COLUMN = 3  # the fourth column (D), right of the sheet list
_BAD_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _BAD_CHARS.sub(" ", name).strip().strip("'")[:31] or _("Tabell")
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _table_sheet(book: Workbook, table: Table, name: str) -> None:
    sheet = book.create_sheet(name)
    write_title(sheet, table.caption)
    start = 3
    # The line under the title says when the table shows example data.
    sheet.append([_("Exempel: %(text)s") % {"text": table.example} if table.example else None])
    if table.example:
        sheet.cell(row=2, column=1).font = Font(italic=True)
    sheet.append([column.label for column in table.columns])
    style_header(sheet[start])
    widths = [len(column.label) for column in table.columns]
    for row in table.rows:
        values = []
        for index, cell in enumerate(row.cells):
            numeric = index < len(table.columns) and table.columns[index].numeric
            values.append(cell.value if numeric and cell.value is not None else cell.text or None)
            widths[index] = max(widths[index], min(len(cell.text), 70))
        sheet.append(values)
        line = sheet[sheet.max_row]
        line[0].alignment = Alignment(indent=row.depth * 2, wrap_text=True, vertical="top")
        for index, cell in enumerate(line[1:], start=1):
            if index < len(table.columns) and table.columns[index].numeric:
                cell.number_format = table.number_format
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row.emphasis or row.heading:
            for cell in line:
                cell.font = Font(bold=row.emphasis, italic=row.heading)
        if row.emphasis:
            for cell in line:
                cell.border = SUM_BORDER
    set_widths(sheet, [max(10, min(width + 2, 72)) for width in widths])
    sheet.freeze_panes = sheet.cell(row=start + 1, column=2)
    if table.notes:
        sheet.append([])
        for number, note in enumerate(table.notes, 1):
            sheet.append([f"{number}. {note}"])


def _add_logo(sheet: Worksheet, logo: bytes, alt: str) -> None:
    """The logo (a PNG or JPEG, judged when uploaded) at the sheet's top right, ``alt`` as
    its description for a screen reader."""
    image = Image(io.BytesIO(logo))
    width = max(1, round(image.width * LOGO_HEIGHT / max(image.height, 1)))
    image.width, image.height = width, LOGO_HEIGHT
    anchor = OneCellAnchor(
        _from=AnchorMarker(col=LOGO_COLUMN, row=0),
        ext=XDRPositiveSize2D(pixels_to_EMU(width), pixels_to_EMU(LOGO_HEIGHT)),
    )
    anchor.pic = SpreadsheetDrawing()._picture_frame(1)  # openpyxl fills in the image's link
    anchor.pic.nvPicPr.cNvPr.descr = alt
    anchor.pic.nvPicPr.cNvPr.name = alt
    image.anchor = anchor
    sheet.add_image(image)


def to_xlsx(document: ReportDocument) -> bytes:
    book = Workbook()
    about = book.active
    used: set[str] = set()
    about.title = sheet_name(_("Om rapporten"), used)
    write_title(about, document.full_title, font=Font(bold=True, size=14))
    for label, value in (
        (_("Organisation"), document.organisation),
        (_("Period"), document.period_label),
        (_("Rapportens läge"), document.state_label),
        (_("Sammanställd"), document.generated_label),
    ):
        about.append([label, value])
    if document.has_examples:
        about.append(
            [
                _("Exempel"),
                _("Rapporten innehåller exempeldata, inte verkliga uppgifter: %(what)s.")
                % {"what": ", ".join(document.examples)},
            ]
        )
    about.append([])
    about.append([_("Flik"), _("Tabell"), _("Avsnitt")])
    style_header(about[about.max_row])
    for section, table in document.tables():
        name = sheet_name(table.sheet or table.caption, used)
        _table_sheet(book, table, name)
        about.append([name, table.caption, section.numbered_title])
        link = about.cell(row=about.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.font = LINK_FONT
    set_widths(about, [34, 70, 50])
    if document.logo_bytes:
        _add_logo(about, document.logo_bytes, document.logo_alt)
    book.properties.title = document.full_title
    book.properties.creator = document.organisation
    book.properties.language = "sv-SE"
    return set_core_times(to_bytes(book), document.generated_at)
