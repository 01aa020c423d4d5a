"""The internkontrollplan as an XLSX workbook and back, one row per åtgärd.

The export writes a title, a line saying which values are examples, then the header row
(``tabular.COLUMNS``) and every row filled in (no merged cells), so it sorts and filters in
Excel and imports again unchanged. The import finds the header row among the first rows,
reads the columns by their header, and accepts merged or blank Verksamhet/Risk cells.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from uppsikt.lib.limits import InputRefused
from uppsikt.lib.typing import Actor
from uppsikt.lib.workbook import set_widths, style_header, to_bytes, write_title
from uppsikt.lib.xlsx_input import check_workbook, sheet_rows
from uppsikt.reports.stamps import set_core_times

from .queries import MeasureRow, PlanTable
from .scale import Level
from .tabular import (
    COLUMNS,
    HEADERS,
    REQUIRED_COLUMNS,
    MeasureSpec,
    Problem,
    SourceRow,
    risk_row_values,
)

HEADER_SEARCH_ROWS = 15
MAX_ROWS = 20_000
WIDTHS = {"area": 18, "risk": 45, "measure": 50, "control_method": 30, "motivation": 30, "note": 30}
# Light fills with dark text (contrast above 7:1), and the level's word in its own column.
FILLS = {
    Level.LOW: PatternFill("solid", fgColor="D8EFE0"),
    Level.MEDIUM: PatternFill("solid", fgColor="FCEFC7"),
    Level.HIGH: PatternFill("solid", fgColor="F6D3D0"),
}


class WorkbookError(ValueError):
    """The file is not a workbook we can read; the message is Swedish."""


def plan_workbook(table: PlanTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Internkontrollplan")[:31]
    write_title(
        sheet,
        _("Internkontrollplan %(year)s – %(unit)s") % {"year": table.year, "unit": table.unit.name},
    )
    notes = [table.unit.organisation.name]
    if table.has_examples:
        notes.append(
            _(
                "Riskvärden och beslut markerade som exempel är exempeldata, inte verkliga bedömningar."
            )
        )
    sheet.append(["  ·  ".join(notes)])
    sheet.append([])
    sheet.append([header for _name, header in COLUMNS])
    header_row = sheet.max_row
    style_header(sheet[header_row])
    for area in table.areas:
        for risk in area.risks:
            measures: list[MeasureRow | None] = [*risk.measures] or [None]
            for measure in measures:
                values = risk_row_values(
                    area=area.name,
                    risk=risk.text,
                    requirements=risk.requirements,
                    likelihood=risk.likelihood,
                    consequence=risk.consequence,
                    decision=risk.decision,
                    region_wide=risk.is_region_wide,
                    motivation=risk.motivation,
                    note=risk.note,
                    measure=MeasureSpec(
                        text=measure.text,
                        where="",
                        responsible=measure.responsible,
                        control_method=measure.control_method,
                        frequency=measure.frequency,
                        reported_in=measure.reported_in,
                    )
                    if measure
                    else None,
                    scale=table.scale,
                )
                sheet.append([values[name] for name, _header in COLUMNS])
                row = sheet[sheet.max_row]
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if risk.level:
                    for name in ("score", "level"):
                        row[_index(name)].fill = FILLS[risk.level]
    set_widths(sheet, [WIDTHS.get(name, 14) for name, _header in COLUMNS])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{sheet.max_row}"
    return set_core_times(to_bytes(book), timezone.now())


def _index(name: str) -> int:
    return [n for n, _h in COLUMNS].index(name)


def _normal(header: Any) -> str:
    return " ".join(str(header or "").split()).lower()


def read_workbook(content: bytes) -> tuple[list[SourceRow], set[str], list[str]]:
    """The data rows of the first sheet, the fields present as columns, and the headers of
    columns that are not ours (ignored, and reported as such).

    The file is checked before it is parsed, and its rows are read as they are in the sheet,
    not as its ``<dimension>`` says (``lib.xlsx_input``).
    """
    try:
        check_workbook(content)
    except InputRefused as refused:
        raise WorkbookError(refused.message) from refused
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise WorkbookError(
            _("Filen kan inte läsas som en Excel-arbetsbok (.xlsx): %(kind)s.")
            % {"kind": type(exc).__name__}
        ) from exc
    try:
        return _read_sheet(book.worksheets[0])
    except InputRefused as refused:
        raise WorkbookError(refused.message) from refused
    finally:
        book.close()


def _read_sheet(sheet) -> tuple[list[SourceRow], set[str], list[str]]:
    """The header row among the first rows, then every row after it."""
    rows = sheet_rows(sheet)
    by_header = {_normal(header): name for name, header in COLUMNS}
    columns: dict[int, str] = {}
    ignored: list[str] = []
    header_line = 0
    for line, cells in enumerate(rows, 1):
        if line > HEADER_SEARCH_ROWS:
            break
        names = {_normal(cell) for cell in cells}
        if all(_normal(HEADERS[name]) in names for name in REQUIRED_COLUMNS):
            header_line = line
            for index, cell in enumerate(cells):
                name = by_header.get(_normal(cell))
                if name is not None and name not in columns.values():
                    columns[index] = name
                elif _normal(cell):
                    ignored.append(str(cell).strip())
            break
    if not header_line:
        wanted = ", ".join(HEADERS[name] for name in REQUIRED_COLUMNS)
        raise WorkbookError(
            _("Hittar ingen rubrikrad med kolumnerna %(cols)s bland de första %(n)s raderna.")
            % {"cols": wanted, "n": HEADER_SEARCH_ROWS}
        )
    letters = {name: get_column_letter(index + 1) for index, name in columns.items()}
    out: list[SourceRow] = []
    for line, cells in enumerate(rows, header_line + 1):
        if line - header_line > MAX_ROWS:
            raise WorkbookError(_("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS})
        values = {
            name: cells[index] if index < len(cells) else None for index, name in columns.items()
        }
        out.append(SourceRow(values=values, locate=_locator(line, letters), line=line))
    return out, set(columns.values()), ignored


def _locator(line: int, letters: dict[str, str]):
    def locate(name: str) -> str:
        if name in letters:
            return _("rad %(line)s, kolumn %(col)s (%(header)s)") % {
                "line": line,
                "col": letters[name],
                "header": HEADERS[name],
            }
        return _("rad %(line)s") % {"line": line}

    return locate


def import_workbook(unit, year: int, content: bytes, *, actor: Actor, file_name: str = ""):
    """Read an XLSX file and replace ``unit``'s plan for ``year`` with it (all or nothing).

    Raises ``importing.ImportRejected`` naming every problem; an unreadable file is one.
    """
    from .importing import ImportRejected, import_rows

    try:
        rows, present, ignored = read_workbook(content)
    except WorkbookError as error:
        raise ImportRejected([Problem(file_name or _("filen"), str(error))]) from error
    return import_rows(
        unit,
        year,
        rows,
        actor=actor,
        present=present,
        file_name=file_name,
        ignored_columns=ignored,
    )
