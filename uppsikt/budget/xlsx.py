"""A budget table as an XLSX workbook: the page's layout, plain numbers in the display unit."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from uppsikt.lib.workbook import number_format, set_widths, style_header, to_bytes, write_title

from .document import BudgetDocument, Column
from .money import to_unit


def column_header(column: Column) -> str:
    if column.is_example:
        return _("%(label)s (exempel)") % {"label": column.label}
    return column.label


def table_workbook(doc: BudgetDocument) -> bytes:
    table = doc.table
    book = Workbook()
    sheet = book.active
    sheet.title = (table.number or _("Budget"))[:31]
    bold = Font(bold=True)
    numbers = number_format(table.decimals)
    write_title(sheet, str(table))
    sheet.append([f"{table.unit.name}, {table.year}"])
    if table.is_example:
        sheet.append([_("Exempel: beloppen är inte hämtade ur en källa.")])
    elif doc.has_examples:
        sheet.append(
            [_("Kolumner märkta (exempel) innehåller exempeldata, inte regionens siffror.")]
        )
    if table.is_draft:
        sheet.append([_("Utkast, inte fastställt.")])
    sheet.append([])
    header = [doc.unit_label, *(column_header(column) for column in doc.columns)]
    if doc.variance:
        header.append(doc.variance_label)
    sheet.append(header)
    style_header(sheet[sheet.max_row])
    for line in doc.rows:
        cells = [line.cells, [line.variance]] if line.variance else [line.cells]
        values = [
            None if cell is None or cell.value is None else to_unit(cell.value, table.display_unit)
            for group in cells
            for cell in group
        ]
        sheet.append([line.row.label, *values])
        row = sheet[sheet.max_row]
        row[0].alignment = Alignment(indent=line.depth * 2)
        for cell in row[1:]:
            cell.number_format = numbers
        if line.is_computed or line.is_heading:
            for cell in row:
                cell.font = bold
    set_widths(sheet, [60] + [16] * (len(header) - 1))
    notes = [doc.variance_note, table.note, *doc.rounding_notes]
    if any(notes):
        sheet.append([])
    for text in notes:
        if text:
            sheet.append([text])
    return to_bytes(book)
