"""A budget table read as one computed document: columns, rows, variance and rounding notes.

Two queries per table (rows, figures). Pages and the XLSX export both lay out this object.

Avvikelse: for the newest year that has both a budget and a prognos or utfall, the column
"Avvikelse" is prognos (or utfall) minus budget, computed from exact amounts. A positive
variance is better than budget: with costs written as negative figures, −2 503 against a
budget of −2 569 gives +66 (the överskott of 66 mnkr that the 2022 delårsrapport reports).

Rounding: every amount is rounded half-up for display on its own. When the rounded rows of
a computed row do not add up to its rounded sum, the cell is marked and a note under the
table gives both figures and the rounding difference.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import tree
from .models import BudgetRow, BudgetTable, Figure, Series
from .money import format_money, format_number, round_half_up, to_unit


@dataclass
class Cell:
    value: Decimal | None  # kronor, exact
    text: str = ""
    note: int | None = None  # number of the rounding note, if any


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

    @property
    def unit_label(self) -> str:
        return _("Belopp i %(unit)s") % {"unit": self.table.display_unit}

    @property
    def variance_label(self) -> str:
        if self.variance is None:
            return ""
        actual, budget = self.variance
        return _("Avvikelse %(actual)s mot %(budget)s") % {
            "actual": _series_short(actual),
            "budget": _series_short(budget),
        }

    def value(self, row: BudgetRow, series: Series) -> Decimal | None:
        return self.nodes[row.pk].values.get(series)


def _series_short(series: Series) -> str:
    return f"{Figure.Kind(series.kind).label.lower()} {series.year}"


def build_nodes(table: BudgetTable) -> tuple[list[tree.Node], dict[int, tree.Node], set]:
    """The table's rows as ``tree.Node``s keyed by row pk, plus every series used."""
    rows = list(table.rows.all())
    nodes = {row.pk: tree.Node(kind=row.kind, label=row.label, key=row) for row in rows}
    series: set[Series] = set()
    for figure in Figure.objects.filter(row__table=table):
        nodes[figure.row_id].figures[figure.series] = figure.amount
        series.add(figure.series)
    roots: list[tree.Node] = []
    for row in rows:
        parent = nodes.get(row.parent_id)
        (parent.children if parent else roots).append(nodes[row.pk])
    return roots, nodes, series


def _variance_pair(series: list[Series]) -> tuple[Series, Series] | None:
    for year in sorted({s.year for s in series}, reverse=True):
        in_year = [s for s in series if s.year == year]
        budgets = [s for s in in_year if s.kind in ("reviderad", "budget")]
        actuals = [s for s in in_year if s.kind in ("utfall", "prognos")]
        if budgets and actuals:
            return sorted(actuals, key=lambda s: s.sort_key)[0], sorted(
                budgets, key=lambda s: s.sort_key
            )[0]
    return None


def budget_document(
    table: BudgetTable, root: BudgetRow | None = None, *, include=None
) -> BudgetDocument:
    """The computed table; with ``root``, only that row and the rows under it.

    ``include(series)`` keeps only some columns (a report per 31 juli leaves out forecasts
    made later); the variance is then chosen among the columns kept.
    """
    roots, nodes, series_set = build_nodes(table)
    tree.evaluate(roots)
    if include is not None:
        series_set = {s for s in series_set if include(s)}
    series = sorted(series_set, key=lambda s: s.sort_key)
    doc = BudgetDocument(table, series, [], _variance_pair(series), nodes=nodes)
    unit, decimals = table.display_unit, table.decimals
    start = [nodes[root.pk]] if root else roots
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
            actual, budget = (node.values.get(s) for s in doc.variance)
            if actual is not None and budget is not None:
                diff = actual - budget
                text = format_money(diff, unit, decimals)
                if round_half_up(to_unit(diff, unit), decimals) > 0:
                    text = "+" + text
                display.variance = Cell(diff, text)
            else:
                display.variance = Cell(None)
        doc.rows.append(display)
    return doc


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
