"""Excel workbooks (XLSX): the first sheet, a header row, one measurement per row.

``template()`` makes the workbook offered for download: the header row, a sheet of
instructions, and sheets listing the indicators and organisations a row may name.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from uppsikt.lib.limits import InputRefused
from uppsikt.lib.xlsx_input import check_workbook, sheet_rows

from .rows import COLUMN_NAMES, FIELDS, FileRejected, RowError, SourceRow
from .tabular import map_header


def _refused(refused: InputRefused) -> FileRejected:
    return FileRejected([RowError(None, "", refused.code, refused.message)])


def read(data: bytes) -> tuple[Iterator[SourceRow | RowError], int]:
    """The rows after the header. The file is checked before it is parsed, and its rows are
    read as they are in the sheet, not as its ``<dimension>`` says (``lib.xlsx_input``)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        check_workbook(data)
    except InputRefused as refused:
        raise _refused(refused) from refused
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRejected(
            [
                RowError(
                    None,
                    "",
                    "bad_workbook",
                    _("Filen går inte att öppna som en Excel-arbetsbok (XLSX): %(e)s")
                    % {"e": type(error).__name__},
                )
            ]
        ) from error
    sheet = workbook.worksheets[0]
    total = max((sheet.max_row or 1) - 1, 0)  # as the sheet states it: for progress only
    rows = sheet_rows(sheet)
    try:
        header = next(rows, None)
    except InputRefused as refused:
        raise _refused(refused) from refused
    if not header:
        raise FileRejected([RowError(1, "", "no_header", _("Arbetsboken saknar rubrikrad."))])
    fields = map_header(list(header))
    columns = {
        name: f"{label} ({get_column_letter(index + 1)})" for name, (index, label) in fields.items()
    }

    def generate() -> Iterator[SourceRow]:
        try:
            for line, cells in enumerate(rows, start=2):
                if not cells or all(cell is None or str(cell).strip() == "" for cell in cells):
                    continue
                values = {
                    name: cells[index] if index < len(cells) else None
                    for name, (index, _label) in fields.items()
                }
                yield SourceRow(line, values, columns)
        except InputRefused as refused:
            raise _refused(refused) from refused
        finally:
            workbook.close()

    return generate(), total


def template() -> bytes:
    """The import template: headers, example rows, and the valid indicators and organisations."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from uppsikt.lib.workbook import to_bytes
    from uppsikt.organisations.models import Organisation

    from ..models import IndicatorDefinition

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mätvärden")
    sheet.append([COLUMN_NAMES[name] for name in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Text cells, so Excel keeps leading zeros in organisation codes.
    for column in ("B", "C"):
        sheet.column_dimensions[column].number_format = "@"
    widths = {"A": 28, "B": 14, "C": 10, "D": 6, "E": 12, "F": 12, "G": 24}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width

    guide = workbook.create_sheet(_("Anvisning"))
    for line in (
        _("En rad per mätvärde på bladet Mätvärden. Rubrikraden ska stå kvar."),
        _(
            "indikator: indikatorns nyckel eller källans id (t.ex. Koladas KPI-id), se bladet Indikatorer."
        ),
        _("organisation: fyrsiffrig kod, t.ex. 0018 (Region Örebro län) eller 0000 (Riket)."),
        _("period: 2023 (år), 2023T2 (tertial) eller 2023-07 (månad)."),
        _("kön: T (totalt), K (kvinnor) eller M (män); tomt betyder T."),
        _("värde: ett tal, t.ex. 74,1 eller 1 183."),
        _("status: preliminär eller slutlig; tomt betyder slutlig."),
        _("källa: varifrån värdet kommer (frivilligt)."),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 100

    indicators = workbook.create_sheet(_("Indikatorer"))
    indicators.append([_("nyckel"), _("källans id"), _("namn"), _("enhet"), _("per kön")])
    for definition in IndicatorDefinition.objects.order_by("name"):
        indicators.append(
            [
                definition.key,
                definition.source_code,
                definition.name,
                definition.get_unit_display(),
                _("ja") if definition.by_gender else _("nej"),
            ]
        )
    organisations = workbook.create_sheet(_("Organisationer"))
    organisations.append([_("kod"), _("namn")])
    for code, name in Organisation.objects.order_by("code").values_list("code", "name"):
        organisations.append([code, name])
    for extra in (indicators, organisations):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width = 30
        extra.column_dimensions["C"].width = 60
    return to_bytes(workbook)
