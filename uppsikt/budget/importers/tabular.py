"""Budget, forecast and outcome figures from a CSV or XLSX file, one line per budget row.

The first non-empty line is the header. Columns:

- ``kod`` and/or ``rad``: the row, by its code or its label path (``rowpaths.py``);
- one column per series, headed like ``budget 2024``, ``prognos 2023-06``, ``utfall 2023-06``
  (or as the pages and exports write them, ``Prognos 2023 (per 2023-06)``).

Amounts are written in the unit the importer chooses (kr, tkr or mnkr), Swedish style
(``−2 754``, ``74,1``); an XLSX cell may also hold a number. An empty cell leaves the figure
as it is. A line for a computed row (Summa, Totalt) gives control totals: they are compared
with the computed sums and both figures are named when they disagree; they are not stored.

The file is read by ``lib.tables`` (CSV or XLSX, the encodings, the separators, the row
limit).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from uppsikt.lib.tables import Line
from uppsikt.lib.tables import is_blank as _blank

from .. import tree
from ..money import UNITS, MoneyError, parse_number
from ..rowpaths import Entry, RowIndex, RowRefError
from ..series import Series, SeriesError, parse_label
from ..stored import Loaded
from ..validation import ControlTotal, Problem
from .proposal import Proposal

ROW_COLUMNS = {"kod": "code", "rad": "path"}
FLOAT_NOISE = Decimal("0.0001")  # kronor: what a float cell may be off by and still be öre


def cell_amount(value: Any, unit: str) -> tuple[Decimal, int]:
    """A cell as kronor, and the number of decimals it was written with in ``unit``.

    Raises ``MoneyError`` with a Swedish message.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise MoneyError(_("”%(v)s” är inte ett tal") % {"v": value})
    is_float = isinstance(value, float)
    number = Decimal(repr(value)) if is_float else parse_number(value)
    decimals = max(0, -int(number.as_tuple().exponent))
    kronor = number * UNITS[unit]
    exact = kronor.quantize(Decimal("0.01"))
    if kronor != exact:
        if not (is_float and abs(kronor - exact) < FLOAT_NOISE):
            raise MoneyError(
                _("”%(v)s” %(unit)s har fler decimaler än öre") % {"v": value, "unit": unit}
            )
        kronor = exact
    return kronor, decimals


def proposal_from_lines(lines: list[Line], loaded: Loaded, unit: str) -> Proposal:
    proposal = Proposal()
    header_at = next(
        (i for i, line in enumerate(lines) if any(not _blank(c) for c in line.cells)), None
    )
    if header_at is None:
        proposal.problems.append(Problem("", _("filen är tom")))
        return proposal
    header = lines[header_at]
    columns = _columns(header, proposal)
    if proposal.problems:
        return proposal
    index = RowIndex(_entries(loaded))
    seen: dict[int, int] = {}
    for line in lines[header_at + 1 :]:
        _line(line, columns, index, loaded, unit, seen, proposal)
    proposal.summary["rader_i_filen"] = len(seen)
    return proposal


def _entries(loaded: Loaded):
    for row in loaded.rows.values():
        yield Entry(row.pk, row.label, row.code, row.parent_id)


def _columns(header: Line, proposal: Proposal) -> dict[int, tuple[str, Any]]:
    """Column index → ("code" | "path" | "series", series), problems into ``proposal``."""
    columns: dict[int, tuple[str, Any]] = {}
    seen: dict[Series, str] = {}
    for i, value in enumerate(header.cells):
        letter = get_column_letter(i + 1)
        place = _("rad %(n)s, kolumn %(c)s") % {"n": header.number, "c": letter}
        if _blank(value):
            continue
        name = " ".join(str(value).split()).lower()
        if name in ROW_COLUMNS:
            columns[i] = (ROW_COLUMNS[name], None)
            continue
        try:
            series = parse_label(str(value))
        except SeriesError as exc:
            proposal.problems.append(Problem(place, str(exc)))
            continue
        if series in seen:
            proposal.problems.append(
                Problem(place, _("kolumnen finns redan i kolumn %(c)s") % {"c": seen[series]})
            )
            continue
        seen[series] = letter
        columns[i] = ("series", series)
    kinds = {kind for kind, _s in columns.values()}
    if not kinds & {"code", "path"}:
        proposal.problems.append(
            Problem(
                _("rad %(n)s") % {"n": header.number},
                _("rubrikraden saknar kolumnen ”kod” eller ”rad” som anger budgetraden"),
            )
        )
    if "series" not in kinds and not proposal.problems:
        proposal.problems.append(
            Problem(
                _("rad %(n)s") % {"n": header.number},
                _("rubrikraden har inga kolumner med belopp, t.ex. ”prognos 2023-06”"),
            )
        )
    return columns


def _line(line, columns, index, loaded, unit, seen, proposal: Proposal) -> None:
    values = {i: line.cells[i] if i < len(line.cells) else None for i in columns}
    here = _("rad %(n)s") % {"n": line.number}
    _unnamed_cells(line, columns, here, proposal)
    if all(_blank(v) for v in values.values()):
        return
    pk = _row_of(line, columns, values, index, seen, here, proposal)
    if pk is None:
        return
    seen[pk] = line.number
    _amounts(line, columns, values, loaded.rows[pk], unit, here, proposal)


def _unnamed_cells(line, columns, here: str, proposal: Proposal) -> None:
    """A problem for each filled cell in a column without a heading."""
    for i, value in enumerate(line.cells):
        if i not in columns and not _blank(value):
            proposal.problems.append(
                Problem(
                    _("%(here)s, kolumn %(c)s") % {"here": here, "c": get_column_letter(i + 1)},
                    _("kolumnen saknar rubrik"),
                    "unnamed_column",
                    line.number,
                )
            )


def _row_of(line, columns, values, index, seen, here: str, proposal: Proposal) -> int | None:
    """The budget row the line names by code (or else by path), once in the file; None with
    the problem added when it names none, an unknown one or one already read."""
    code = next((values[i] for i, (k, _s) in columns.items() if k == "code"), None)
    path = next((values[i] for i, (k, _s) in columns.items() if k == "path"), None)
    ref = code if not _blank(code) else path
    if _blank(ref):
        proposal.problems.append(
            Problem(here, _("raden saknar kod och rad"), "missing_row", line.number)
        )
        return None
    try:
        pk = index.find(str(ref))
    except RowRefError as exc:
        proposal.problems.append(Problem(here, str(exc), "unknown_row", line.number))
        return None
    if pk in seen:
        proposal.problems.append(
            Problem(
                here,
                _("samma budgetrad står redan på rad %(n)s") % {"n": seen[pk]},
                "duplicate_row",
                line.number,
            )
        )
        return None
    return pk


def _amounts(line, columns, values, row, unit: str, here: str, proposal: Proposal) -> None:
    """The line's amounts: changes of the row's own figures, control totals of a computed
    row; a problem for an unreadable amount or one on a heading."""
    amounts = []
    for i, (kind, series) in columns.items():
        value = values[i]
        if kind != "series" or _blank(value):
            continue
        place = _("%(here)s, kolumn %(c)s (%(s)s)") % {
            "here": here,
            "c": get_column_letter(i + 1),
            "s": series,
        }
        try:
            amount, decimals = cell_amount(value, unit)
        except (MoneyError, InvalidOperation) as exc:
            proposal.problems.append(Problem(place, str(exc), "bad_number", line.number))
            continue
        amounts.append(amount)
        if row.kind in tree.COMPUTED:
            proposal.controls.append(
                ControlTotal(row, series, amount, unit, decimals, place, line.number)
            )
        elif row.kind == tree.HEADING:
            proposal.problems.append(
                Problem(place, _("en rubrik har inga belopp"), "heading_row", line.number)
            )
        else:
            proposal.changes[(row.pk, series)] = amount
            proposal.where[(row.pk, series)] = place
            proposal.lines[(row.pk, series)] = line.number
    if amounts and not any(amounts) and row.kind in tree.OWN_FIGURES:
        proposal.warnings.append(
            Problem(
                _("%(here)s (%(row)s)") % {"here": here, "row": row.label},
                _("alla belopp på raden är 0; kontrollera att raden är ifylld"),
            )
        )
