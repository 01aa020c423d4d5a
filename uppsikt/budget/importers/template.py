"""Downloadable import templates: the table's rows with their codes and label paths, and a
column per series with today's figures in the table's display unit, exact (nothing rounded),
so that a template imported unchanged changes nothing.

The CSV writes numbers as Excel reads them (``money.format_for_file``: ``-2754``, ``-74,1``,
an ASCII hyphen-minus and no thousands separator), the XLSX as numeric cells; the importer
reads these and also the page's form (``−2 754`` with U+2212 and non-breaking spaces).
Text that a spreadsheet could take for a formula gets an apostrophe in the CSV and is a
string cell in the XLSX (``lib.celltext``); the importer takes the apostrophe off again.
"""

import csv
import io

from openpyxl import Workbook

from uppsikt.lib.celltext import csv_text
from uppsikt.lib.workbook import set_widths, style_header, to_bytes

from .. import tree
from ..models import BudgetTable, Series
from ..money import format_for_file, to_unit
from ..rowpaths import index_rows
from ..stored import load


def template_lines(table: BudgetTable, columns: list[Series]) -> list[list]:
    """Header and one line per row with own figures; amounts as ``Decimal`` in the unit."""
    loaded = load(table)
    rows = list(table.rows.all())
    index = index_rows(rows)
    lines: list[list] = [["kod", "rad", *(_header(s) for s in columns)]]
    for row in rows:
        if row.kind not in tree.OWN_FIGURES:
            continue
        node = loaded.nodes[row.pk]
        values = [
            None if s not in node.figures else to_unit(node.figures[s], table.display_unit)
            for s in columns
        ]
        lines.append([row.code, index.path(row), *values])
    return lines


def _header(series: Series) -> str:
    return f"{series.kind} {series.period or series.year}"


def template_csv(table: BudgetTable, columns: list[Series]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in template_lines(table, columns):
        writer.writerow(
            [
                "" if v is None else csv_text(v) if isinstance(v, str) else format_for_file(v)
                for v in line
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM correctly


def template_xlsx(table: BudgetTable, columns: list[Series]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Import"
    for line in template_lines(table, columns):
        sheet.append(line)
    style_header(sheet[1])
    set_widths(sheet, [70], first=2)
    return to_bytes(book)
