"""Budget tables with their rows and computed figures (sums are computed, never stored).

Amounts are exact kronor as decimal strings ("-2754000000.00"); ``display_unit`` and
``decimals`` say how the region shows them (mnkr, no decimals).

A table is read with an ``ETag`` and its figures are written with ``If-Match``
(``preconditions``): the table's version moves with every write of its figures.
"""

import re
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from uppsikt.accounts.access import Perm, can, require
from uppsikt.budget import publication
from uppsikt.budget.actions import import_lines
from uppsikt.budget.document import budget_document
from uppsikt.budget.importers import ImportOptions
from uppsikt.budget.importers.tabular import Line
from uppsikt.budget.models import BudgetTable
from uppsikt.budget.rowpaths import Entry, RowIndex
from uppsikt.budget.series import Series, SeriesError, parse_label
from uppsikt.budget.stored import load, series_of

from .auth import allowed, caller, writer
from .errors import ApiError, explain_pattern, invalid
from .measurements import BulkError, RowProblem, rows_status
from .pagination import PageParams, filtered, page_of, paginate
from .preconditions import IfMatch, expected_version, set_etag, tagged
from .schemas import INPUT, NO_NUL, READ, WRITE, Id, OrganisationCode, PathId, Text, answers

router = Router(tags=["Budget"])

# A series by its key (budget-2023, reviderad-2023, prognos-2023-06, utfall-2023 or
# utfall-2023-07), as ``budget.series`` reads it: a forecast has the month it was made, a
# budget none.
_YEAR = "[1-9][0-9]{3}"
_MONTH = "(0[1-9]|1[0-2])"
SERIES_KEY = rf"(budget|reviderad)-{_YEAR}|prognos-{_YEAR}-{_MONTH}|utfall-{_YEAR}(-{_MONTH})?"
# Or as an import file's header says it: "budget 2023", "Reviderad budget 2023",
# "prognos 2023-06", "Utfall 2023-07".
SERIES_LABEL = (
    rf"[bB]udget {_YEAR}|[rR]eviderad budget {_YEAR}|[pP]rognos {_YEAR}-{_MONTH}"
    rf"|[uU]tfall {_YEAR}(-{_MONTH})?"
)
SeriesKey = Annotated[
    str,
    Field(
        pattern=explain_pattern(
            rf"^({SERIES_KEY})$",
            gettext_lazy(
                "Ange kolumnen som budget-2023, reviderad-2023, prognos-2023-06 eller utfall-2023-07."
            ),
        ),
        max_length=20,
    ),
]
SERIES = explain_pattern(
    rf"^({SERIES_KEY}|{SERIES_LABEL})$",
    gettext_lazy(
        "Ange kolumnen som prognos-2023-06, utfall-2023-07, reviderad-2023 eller budget-2024 "
        "(eller som i en importfil: prognos 2023-06)."
    ),
)


class SeriesOut(Schema):
    key: str = Field(
        description="Kolumnens nyckel i raderna: budget-2023, reviderad-2023, "
        "prognos-2023-06 (gjord per juni), utfall-2023-07 (januari–juli)."
    )
    kind: str
    year: int
    period: str
    label: str


class RowOut(Schema):
    id: int
    parent_id: int | None
    label: str
    code: str
    kind: str
    depth: int
    computed: bool = Field(description="Raden är en summa av andra rader.")
    values: dict[str, str | None] = Field(description="Kronor per kolumn, exakt, som text.")


class BudgetTableOut(Schema):
    id: int
    unit_id: int
    plan_id: int | None
    year: int
    kind: str
    number: str
    title: str
    display_unit: str
    decimals: int
    is_example: bool
    note: str
    source: str


class BudgetTableDetail(BudgetTableOut):
    series: list[SeriesOut]
    rows: list[RowOut]


class BudgetFilters(Schema):
    unit: Id | None = None
    plan: Id | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    organisation: str | None = OrganisationCode(None)


BudgetTablePage = page_of(BudgetTableOut, "BudgetTablePage")


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@router.get("", response=answers(200, BudgetTablePage), summary="Budgettabeller")
def list_tables(request, page: Query[PageParams], filters: Query[BudgetFilters]):
    queryset = BudgetTable.objects.visible_to(caller(request)).order_by(
        "unit__organisation__code", "-year", "position", "pk"
    )
    lookups = {
        "unit": "unit_id",
        "plan": "plan_id",
        "year": "year",
        "organisation": "unit__organisation__code",
    }
    return paginate(filtered(queryset, filters, lookups), page)


class TableParams(Schema):
    series: list[SeriesKey] | None = Field(
        None,
        description="Bara dessa kolumner, t.ex. series=budget-2023&series=prognos-2023-06. "
        "Utan: alla kolumner tabellen har (budget, reviderad budget, prognoser, utfall).",
    )


@router.get(
    "/{table_id}",
    response=answers(200, BudgetTableDetail, *READ),
    summary="En budgettabell",
    description="Med alla kolumner som webbsidan visar under Visa alla: budget, reviderad "
    "budget, årets prognoser och utfall; nyast först. Svaret har en ETag som If-Match tar "
    "när beloppen skrivs.",
)
@tagged
def get_table(
    request, response: HttpResponse, params: Query[TableParams], table_id: int = PathId()
):
    user = caller(request)
    table = get_object_or_404(BudgetTable.objects.visible_to(user), pk=table_id)
    set_etag(response, "budget-table", table)
    # The public sees the year's forecasts and outcomes once their period is reviewed, as
    # on the web (budget.publication).
    loaded = publication.for_reader(load(table), user)
    if params.series:
        columns = []
        for index, key in enumerate(params.series):
            try:
                columns.append(Series.from_key(key))
            except SeriesError as exc:
                raise invalid(f"series.{index}", str(exc), "bad_series") from exc
        if not can(user, Perm.VIEW, table):
            until = publication.reviewed_until(table)
            columns = [c for c in columns if publication.is_public(c, table, until)]
    else:
        columns = sorted(series_of(loaded), key=lambda s: s.sort_key)
    doc = budget_document(table, columns=columns or None, loaded=loaded)
    series = [
        {"key": s.key, "kind": s.kind, "year": s.year, "period": s.period, "label": str(s)}
        for s in doc.series
    ]
    rows = [
        {
            "id": display.row.pk,
            "parent_id": display.row.parent_id,
            "label": display.row.label,
            "code": display.row.code,
            "kind": display.row.kind,
            "depth": display.depth,
            "computed": display.is_computed,
            "values": {
                series.key: _amount(cell.value)
                for series, cell in zip(doc.series, display.cells, strict=True)
            },
        }
        for display in doc.rows
    ]
    return {**BudgetTableOut.from_orm(table).dict(), "series": series, "rows": rows}


# -- writing the figures of one series ------------------------------------------------------

MAX_FIGURE_ROWS = 10_000
_POINT_DECIMAL = re.compile(r"^\s*-?\d{1,18}(\.\d+)?\s*$")
# Where on a row each problem is: the amount, or the reference to the budget row.
_REF_CODES = {"missing_row", "unknown_row", "duplicate_row"}


class FigureRow(Schema):
    """One budget row's amount. Name the row by ``row`` (its id) or ``ref`` (its code or
    label path, as in an import file: ``Hälsovalsenheten, varav > Vårdval Hälsoval``)."""

    model_config = INPUT
    row: Id | None = Field(None, description="Budgetradens id.")
    ref: str | None = Field(
        None, max_length=1000, pattern=NO_NUL, description="Radens kod eller etikettväg."
    )
    amount: str | int | float = Field(
        ..., description='Beloppet i enheten unit, gärna som text: "-2754000000.00".'
    )


class FiguresIn(Schema):
    model_config = INPUT
    series: str = Field(
        ...,
        max_length=60,
        pattern=SERIES,
        description="Kolumnen: prognos-2023-06, utfall-2023-07, reviderad-2023, budget-2024 "
        "(eller som i en importfil: prognos 2023-06).",
    )
    unit: Literal["kr", "tkr", "mnkr"] = Field("kr", description="Enheten beloppen anges i.")
    rows: list[FigureRow] = Field(..., min_length=1, max_length=MAX_FIGURE_ROWS)
    dry_run: bool = Field(False, description="Kontrollera bara; ingenting sparas.")
    is_example: bool = Field(False, description="Beloppen är exempeldata.")
    name: str = Text("api", max_length=100, description="Namn på inläsningen i historiken.")


class FigureChange(Schema):
    row_id: int
    label: str
    old: str | None = Field(description="Kronor före, exakt, som text (null: inget belopp).")
    new: str


class FiguresOut(Schema):
    imported: bool
    dry_run: bool
    series: str
    rows: int
    changed: int = Field(description="Belopp som är nya eller ändras.")
    unchanged: int
    changes: list[FigureChange]
    warnings: list[RowProblem] = Field(description="Rader som läses in men bör ses över.")


def _series(text: str) -> Series:
    try:
        return Series.from_key(text)
    except SeriesError:
        pass
    try:
        return parse_label(text)
    except SeriesError as exc:
        raise invalid("series", str(exc), "bad_series") from exc


def _amount_cell(value):
    if isinstance(value, str) and _POINT_DECIMAL.match(value):
        return Decimal(value.strip())  # the API's form "74.1"; Swedish "74,1" is read as text
    return value


def _lines(table: BudgetTable, series: Series, rows: list[FigureRow]):
    """The rows as an import file's lines (header, then line n = rows[n-1]), and the problems
    the file form cannot express (unknown ids, a row named twice over, a missing amount)."""
    index = RowIndex(
        Entry(row.pk, row.label, row.code, row.parent_id) for row in table.rows.order_by("pk")
    )
    header = Line(0, ["kod", f"{series.kind} {series.period or series.year}"])
    lines, problems = [header], []
    for number, row in enumerate(rows, 1):
        ref = row.ref
        if row.row is not None and row.ref is not None:
            problems.append(_problem(number, "ref", "ambiguous_row", _("ange row eller ref")))
        elif row.row is not None:
            if row.row not in index.by_key:
                problems.append(
                    _problem(number, "row", "unknown_row", _("raden finns inte i tabellen"))
                )
                continue
            entry = index.by_key[row.row]
            ref = entry.code or index.path(row.row)
        if isinstance(row.amount, str) and not row.amount.strip():
            problems.append(_problem(number, "amount", "missing_amount", _("beloppet saknas")))
        lines.append(Line(number, [" ".join((ref or "").split()), _amount_cell(row.amount)]))
    return lines, problems


def _problem(line: int, field: str, code: str, message: str) -> dict:
    return {
        "index": line - 1,
        "field": f"rows.{line - 1}.{field}",
        "code": code,
        "message": _("rad %(n)s: %(message)s") % {"n": line, "message": message},
    }


def _reported(problem) -> dict:
    if problem.line is None or problem.line < 1:
        return {"index": None, "field": "", "code": problem.code, "message": str(problem)}
    field = "ref" if problem.code in _REF_CODES else "amount"
    return _problem(problem.line, field, problem.code, problem.message)


def _may_write_figures(user, table_id: int) -> None:
    require(user, Perm.PLAN, get_object_or_404(BudgetTable.objects.visible_to(user), pk=table_id))


@router.post(
    "/{table_id}/figures",
    auth=allowed(_may_write_figures),
    response={**answers(200, FiguresOut, *WRITE, 412), 403: BulkError, 409: BulkError},
    summary="Läs in belopp i en kolumn",
    description="Belopp för en kolumn (prognos, utfall, reviderad budget eller budget) per "
    "budgetrad, kontrollerade som en importfil på webben: allt eller inget. Med något fel "
    "sparas ingenting (422, varje fel med radens index, fält, kod och skäl). En beslutad "
    "budget ändras inte. Belopp på summarader är kontrollsummor. En händelse i "
    "ändringsloggen per inläsning. Med If-Match bara om tabellens belopp inte har skrivits "
    "sedan den lästes (annars 412).",
)
@tagged
def post_figures(
    request,
    response: HttpResponse,
    payload: FiguresIn,
    table_id: int = PathId(),
    if_match: str | None = IfMatch(),
):
    user = writer(request)
    table = get_object_or_404(BudgetTable.objects.visible_to(user), pk=table_id)
    require(user, Perm.PLAN, table)
    expected = expected_version(request, "budget-table", table.pk, table.row_version)
    series = _series(payload.series)
    lines, problems = _lines(table, series, payload.rows)
    options = ImportOptions(unit=payload.unit, is_example=payload.is_example)
    checked, counts = None, None
    if not problems:
        checked, counts = import_lines(
            table,
            actor=user,
            lines=lines,
            options=options,
            name=f"api-{payload.name}.csv",
            dry_run=payload.dry_run,
            expected_version=expected,
        )
        problems = [_reported(problem) for problem in checked.problems]
    if problems:
        raise ApiError(
            rows_status(problems),
            "invalid_rows",
            _("%(count)s fel. Ingenting lästes in.") % {"count": len(problems)},
            problems,
        )
    assert checked is not None  # checked whenever there were no problems
    table.refresh_from_db(fields=["row_version"])
    set_etag(response, "budget-table", table)
    labels = dict(table.rows.values_list("pk", "label"))
    return {
        "imported": counts is not None,
        "dry_run": payload.dry_run,
        "series": series.key,
        "rows": len(payload.rows),
        "changed": len(checked.changes),
        "unchanged": checked.summary.get("oforandrade", 0),
        "changes": [
            {"row_id": c["row"], "label": labels[c["row"]], "old": c["old"], "new": c["new"]}
            for c in checked.changes
        ],
        "warnings": [
            {"index": None, "field": "", "code": "warning", "message": f"{where}: {message}"}
            for where, message in checked.summary.get("varningar", [])
        ],
    }
