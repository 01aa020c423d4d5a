"""A budget table as an XLSX workbook: the page's layout, plain numbers in the display unit."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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
    number_format = "#,##0" + ("." + "0" * table.decimals if table.decimals else "")
    number_format = f"{number_format};-{number_format}"
    sheet.append([str(table)])
    sheet["A1"].font = Font(bold=True, size=13)
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
    for cell in sheet[sheet.max_row]:
        cell.font = bold
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
            cell.number_format = number_format
        if line.is_computed or line.is_heading:
            for cell in row:
                cell.font = bold
    sheet.column_dimensions["A"].width = 60
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    if table.note or doc.rounding_notes:
        sheet.append([])
    for text in [table.note, *doc.rounding_notes]:
        if text:
            sheet.append([text])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
