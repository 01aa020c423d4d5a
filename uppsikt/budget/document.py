"""A budget table read as one computed document: columns, rows, variance and rounding notes.

Two queries per table (rows, figures). Pages, the XLSX export and ``data.table_data`` all
lay out this object.

Columns: the ones asked for, else the table's default columns (as published), else every
series. A column holding any example figure is marked as an example.

Avvikelse: for the newest year among the columns that has both a budget and a full-year
figure, the last column is the difference between that figure and the budget, computed from
exact amounts by ``variance.favourable``: a positive variance is better than budget (for
costs budget − utfall, for revenue utfall − budget). The full-year figure is the year's
outcome if there is one (utfall without period or per December), else the latest
årsprognos; an outcome to date is not compared with a year's budget. The revised budget is
preferred to the budget. A cost of 2 503 against a budget of 2 569 (written −2 503 and
−2 569) gives +66, the överskott of 66 mnkr that the 2022 delårsrapport reports.

Rounding: every amount is rounded half-up for display on its own. When the rounded rows of
a computed row do not add up to its rounded sum, the cell is marked and a note under the
table gives both figures and the rounding difference.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from . import tree
from .models import BudgetRow, BudgetTable, Series
from .money import format_money, format_number, round_half_up, to_unit
from .series import FigureKind
from .stored import Loaded, example_series, load, series_of
from .variance import convention, favourable


@dataclass
class Cell:
    value: Decimal | None  # kronor, exact
    text: str = ""
    note: int | None = None  # number of the rounding note, if any


@dataclass
class Column:
    series: Series
    is_example: bool

    @property
    def label(self) -> str:
        return str(self.series)

    @property
    def key(self) -> str:
        return self.series.key


@dataclass
class DisplayRow:
    row: BudgetRow
    depth: int
    cells: list[Cell]
    variance: Cell | None = None
    has_children: bool = False

    @property
    def is_computed(self) -> bool:
        return self.row.kind in tree.COMPUTED

    @property
    def is_varav(self) -> bool:
        return self.row.kind == tree.VARAV

    @property
    def is_heading(self) -> bool:
        return self.row.kind == tree.HEADING


@dataclass
class BudgetDocument:
    table: BudgetTable
    series: list[Series]
    rows: list[DisplayRow]
    variance: tuple[Series, Series] | None = None  # (actual, budget)
    rounding_notes: list[str] = field(default_factory=list)
    nodes: dict[int, tree.Node] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    compare_label: str = ""  # replaces the variance label, e.g. "Förändring"

    @property
    def unit_label(self) -> str:
        return _("Belopp i %(unit)s") % {"unit": self.table.display_unit}

    @property
    def variance_label(self) -> str:
        if self.variance is None:
            return ""
        if self.compare_label:
            return self.compare_label
        actual, budget = self.variance
        return _("Avvikelse %(actual)s mot %(budget)s") % {
            "actual": _series_short(actual),
            "budget": _series_short(budget),
        }

    @property
    def variance_note(self) -> str:
        """What a positive variance means (empty without a variance, or for a comparison)."""
        if self.variance is None or self.compare_label:
            return ""
        return convention(self.table)

    @property
    def has_examples(self) -> bool:
        return any(column.is_example for column in self.columns)

    def value(self, row: BudgetRow, series: Series) -> Decimal | None:
        return self.nodes[row.pk].values.get(series)


def _series_short(series: Series) -> str:
    text = f"{FigureKind(series.kind).label.lower()} {series.year}"
    if series.period:
        text += " " + _("(per %(period)s)") % {"period": series.period}
    return text


def variance_pair(series: list[Series]) -> tuple[Series, Series] | None:
    """(actual, budget) to compare, as the module describes; None when there is none."""
    for year in sorted({s.year for s in series}, reverse=True):
        in_year = sorted((s for s in series if s.year == year), key=lambda s: s.sort_key)
        budgets = [s for s in in_year if s.kind in (FigureKind.REVIDERAD, FigureKind.BUDGET)]
        actuals = [
            s
            for s in in_year
            if s.kind in (FigureKind.UTFALL, FigureKind.PROGNOS) and s.is_full_year
        ]
        if budgets and actuals:
            return actuals[0], budgets[0]
    return None


def follow_up_columns(loaded: Loaded, year: int, include=None) -> list[Series]:
    """Budget (or revised budget), the latest årsprognos and the latest outcome of ``year``.

    ``include(series)`` limits the choice, e.g. to what was known at a report's date.
    """
    available = sorted(series_of(loaded), key=lambda s: s.sort_key)
    in_year = [s for s in available if s.year == year and (include is None or include(s))]
    chosen = []
    for kinds in (
        (FigureKind.REVIDERAD, FigureKind.BUDGET),
        (FigureKind.PROGNOS,),
        (FigureKind.UTFALL,),
    ):
        found = next((s for s in in_year if s.kind in kinds), None)  # newest first
        if found:
            chosen.append(found)
    return chosen


def choose_columns(loaded: Loaded, wanted: list[Series] | None) -> list[Series]:
    """The columns to show: ``wanted`` in their order, else the table's default columns,
    else every series newest first; only series the table has figures in."""
    available = series_of(loaded)
    for candidate in (wanted, loaded.table.default_columns):
        chosen = [s for s in candidate or [] if s in available]
        if chosen:
            return list(dict.fromkeys(chosen))
    return sorted(available, key=lambda s: s.sort_key)


def budget_document(
    table: BudgetTable,
    root: BudgetRow | None = None,
    columns: list[Series] | None = None,
    *,
    loaded: Loaded | None = None,
    compare: tuple[Series, Series] | None = None,
    compare_label: str = "",
    include=None,
) -> BudgetDocument:
    """The computed table; with ``root``, only that row and the rows under it.

    ``loaded`` may carry figures not stored (a preview); ``compare`` replaces the variance
    with a plain difference (first minus second, not signed as favourable), labelled
    ``compare_label``.
    ``include(series)`` keeps only some columns (a report per 31 juli leaves out forecasts
    made later); the variance is then chosen among the columns kept.
    """
    loaded = loaded or load(table)
    tree.evaluate(loaded.roots)
    series = choose_columns(loaded, columns)
    if include is not None:
        series = [s for s in series if include(s)]
    examples = example_series(loaded)
    doc = BudgetDocument(
        table,
        series,
        [],
        compare or variance_pair(series),
        nodes=loaded.nodes,
        columns=[Column(s, s in examples) for s in series],
        compare_label=compare_label,
    )
    unit, decimals = table.display_unit, table.decimals
    start = [loaded.nodes[root.pk]] if root else loaded.roots
    for node, depth in tree.walk(start):
        cells = []
        for column in series:
            value = node.values.get(column)
            cell = Cell(value, "" if value is None else format_money(value, unit, decimals))
            if value is not None and node.parts:
                cell.note = _rounding_note(doc, node, column, value)
            cells.append(cell)
        display = DisplayRow(node.key, depth, cells, has_children=bool(node.children))
        if doc.variance and node.kind != tree.HEADING:
            sign = None if compare else table.cost_sign
            display.variance = _difference(node, doc.variance, unit, decimals, sign)
            if display.variance.value is not None and node.parts:
                display.variance.note = _variance_rounding_note(doc, node, display.variance, sign)
        doc.rows.append(display)
    return doc


def _difference(
    node: tree.Node, pair: tuple[Series, Series], unit: str, decimals: int, cost_sign: int | None
) -> Cell:
    """The variance (``cost_sign`` given: positive is favourable), or with ``cost_sign``
    None a plain difference, first minus second."""
    actual, budget = (node.values.get(s) for s in pair)
    if actual is None or budget is None:
        return Cell(None)
    diff = actual - budget if cost_sign is None else favourable(actual, budget, cost_sign)
    text = format_money(diff, unit, decimals)
    if round_half_up(to_unit(diff, unit), decimals) > 0:
        text = "+" + text
    return Cell(diff, text)


def _variance_rounding_note(
    doc: BudgetDocument, node: tree.Node, variance: Cell, cost_sign: int | None
) -> int | None:
    """The variance column's rounding note, as ``_rounding_note`` for the figures: when the
    rows' rounded variances do not add up to the rounded variance of their sum."""
    unit, decimals = doc.table.display_unit, doc.table.decimals
    if doc.variance is None or variance.value is None:  # only asked for a variance shown
        return None
    differences = [
        _difference(part, doc.variance, unit, decimals, cost_sign).value for part in node.parts
    ]
    parts = [part for part in differences if part is not None]
    shown = round_half_up(to_unit(variance.value, unit), decimals)
    shown_parts = sum((round_half_up(to_unit(p, unit), decimals) for p in parts), Decimal(0))
    if shown_parts == shown:
        return None
    doc.rounding_notes.append(
        _(
            "%(row)s, %(series)s: de avrundade raderna ger %(parts)s men avvikelsen räknad på "
            "de exakta beloppen avrundas till %(sum)s; avrundningsdifferens %(diff)s %(unit)s."
        )
        % {
            "row": node.label,
            "series": doc.variance_label,
            "parts": format_number(shown_parts, decimals),
            "sum": format_number(shown, decimals),
            "diff": format_number(shown - shown_parts, decimals),
            "unit": unit,
        }
    )
    return len(doc.rounding_notes)


def _rounding_note(doc: BudgetDocument, node: tree.Node, column: Series, value: Decimal):
    unit, decimals = doc.table.display_unit, doc.table.decimals
    shown = round_half_up(to_unit(value, unit), decimals)
    parts = [p.values[column] for p in node.parts if column in p.values]
    shown_parts = sum((round_half_up(to_unit(p, unit), decimals) for p in parts), Decimal(0))
    if shown_parts == shown:
        return None
    doc.rounding_notes.append(
        _(
            "%(row)s, %(series)s: de avrundade raderna ger %(parts)s men summan av de exakta "
            "beloppen avrundas till %(sum)s; avrundningsdifferens %(diff)s %(unit)s."
        )
        % {
            "row": node.label,
            "series": column,
            "parts": format_number(shown_parts, decimals),
            "sum": format_number(shown, decimals),
            "diff": format_number(shown - shown_parts, decimals),
            "unit": unit,
        }
    )
    return len(doc.rounding_notes)


def attach_budget_tables(document: Any, user: Any) -> None:
    """Plan-page hook: each budget table under the section its number names.

    Budget tables belong to the unit and year, so a revision of the plan shows them too.
    """
    plan = document.plan
    tables = {
        table.number: table
        for table in BudgetTable.objects.visible_to(user).filter(
            plan__unit_id=plan.unit_id, plan__year=plan.year
        )
        if table.number
    }
    for node in document.walk():
        if node.kind == "section" and node.obj.number in tables:
            node.attachments.append(budget_document(tables[node.obj.number]))
