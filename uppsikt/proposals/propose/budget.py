"""Budget tables: rows ("varav" rows as children), columns and figures as Decimal in the
table's unit; the document's own Summa and Totalt rows are checked against the sums of
their rows with the budget app's own rule (``budget.tree.evaluate``), never replaced.

A table comes either as a table block (DOCX, PDF with a table layout) or as lines of text
ending in figures under a caption such as "Belopp i mnkr" (a PDF read as text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from uppsikt.budget import tree
from uppsikt.proposals.reading.blocks import Source

from .amounts import figure_tokens, is_figure, parse_figure, split_figures, table_unit
from .model import BUDGET_ROW, BUDGET_TABLE, Node, SumCheck

SERIES = re.compile(
    r"\b(?P<kind>budget|prognos|utfall|bokslut|plan|ram|förändring|avvikelse|"
    r"verksamhetsplan)\s*(?P<year>(?:19|20)\d{2})?\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_SUM = re.compile(r"^(summa|delsumma|total|totalt|totala|summering)\b", re.IGNORECASE)
_DASH = re.compile(r"^[-–—•]\s*")
_VARAV = re.compile(r"(,\s*)?\bvarav:?$", re.IGNORECASE)


@dataclass
class Row:
    label: str
    figures: list[Decimal | None]
    sources: list[Source]
    child: bool = False  # written with a dash: a varav row of the row above
    kind: str = tree.LINE


@dataclass
class Table:
    number: str
    title: str
    unit: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    caption: str = ""
    header: list[str] = field(default_factory=list)  # the header row(s) as printed


def header_columns(cells: list[str]) -> list[str]:
    """The series a header names ("Budget 2023", "Prognos 2022", "2024"), in order."""
    text = " ".join(cells)
    found = [normal_space(match[0]) for match in SERIES.finditer(text) if match["year"]]
    if found:
        return found
    return [cell for cell in cells if _YEAR.match(cell.strip())]


def normal_space(text: str) -> str:
    return " ".join(text.split())


def looks_like_budget(rows: tuple[tuple[str, ...], ...]) -> bool:
    """A table block whose body rows end in figures."""
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    with_figures = [row for row in body if row and any(is_figure(cell) for cell in row[1:])]
    return bool(body) and len(with_figures) * 2 >= len(body)


def from_table_block(
    rows: tuple[tuple[str, ...], ...], source: Source, number: str, title: str, caption: str
) -> Table:
    heads = _header_rows(rows)
    header = [cell.strip() for cell in rows[0]]
    width = max(len(row) for row in rows) - 1
    columns = header_columns([" ".join(" ".join(row) for row in rows[:heads])])
    if len(columns) != width:
        columns = header[1:] if len(header) > 1 else columns
    unit = table_unit(" ".join(header)) or table_unit(caption) or "kr"
    table = Table(number, title, unit, columns, sources=[source], caption=caption)
    table.header = [" ".join(row).strip() for row in rows[:heads]]
    for cells in rows[heads:]:
        label = cells[0].strip() if cells else ""
        values = [_figure_or_none(cell) for cell in cells[1 : len(columns) + 1]]
        if not label and not any(value is not None for value in values):
            continue
        table.rows.append(_row(label, values, [source]))
    return table


def _header_rows(rows: tuple[tuple[str, ...], ...]) -> int:
    """How many rows the header takes: the first, and each next one holding no figure
    but years (a header broken over lines: "Budget" | "2023")."""
    count = 1
    for row in rows[1:]:
        cells = [cell.strip() for cell in row[1:] if cell.strip()]
        if cells and all(_YEAR.match(cell) for cell in cells) and SERIES.search(row[0]):
            count += 1
        else:
            break
    return count


def _figure_or_none(cell: str) -> Decimal | None:
    cell = cell.strip()
    return parse_figure(cell) if cell and is_figure(cell) else None


def _row(label: str, figures: list[Decimal | None], sources: list[Source]) -> Row:
    child = bool(_DASH.match(label))
    label = _DASH.sub("", label).strip()
    if _SUM.match(label):
        kind = tree.TOTAL if label.lower().startswith("total") else tree.SUM
    elif not any(value is not None for value in figures):
        kind = tree.HEADING
    else:
        kind = tree.VARAV if child else tree.LINE
    return Row(label, figures, sources, child=child, kind=kind)


def text_row(text: str, columns: int, source: Source) -> Row | None:
    """A line of a table read as text: its label and exactly ``columns`` figures."""
    label, tokens = figure_tokens(text)
    if not tokens:
        return None
    figures = split_figures(tokens, columns)
    if figures is None or not label:
        return None
    return _row(label, list(figures), [source])


def to_nodes(table: Table, ids) -> tuple[Node, list[SumCheck]]:
    """The table as proposed objects, and each printed sum against the computed one."""
    node = Node(BUDGET_TABLE, ids(BUDGET_TABLE), sources=list(table.sources))
    node.fields = {
        "number": table.number,
        "title": table.title,
        "unit": table.unit,
        "columns": table.columns,
    }
    if table.caption:
        node.labels.append(table.caption)
    node.labels.extend(table.header)
    roots: list[tree.Node] = []
    pairs: list[tuple[tree.Node, Node]] = []
    parent: tuple[tree.Node, Node] | None = None
    for row in table.rows:
        row_node = Node(BUDGET_ROW, ids(BUDGET_ROW), sources=list(row.sources))
        kind = row.kind
        if row.child and parent is not None and kind in (tree.VARAV, tree.HEADING, tree.LINE):
            kind = tree.VARAV if kind != tree.HEADING else tree.HEADING
            budget_node = tree.Node(kind, row.label, _figures(row))
            parent[0].children.append(budget_node)
            parent[1].children.append(row_node)
        else:
            kind = tree.LINE if kind == tree.VARAV else kind
            budget_node = tree.Node(kind, row.label, _figures(row))
            roots.append(budget_node)
            node.children.append(row_node)
            if kind == tree.LINE:
                parent = (budget_node, row_node)
            elif kind in (tree.SUM, tree.TOTAL, tree.HEADING):
                parent = None
        label = _VARAV.sub("", row.label).strip() if kind != tree.HEADING else row.label
        row_node.fields = {
            "label": row.label,
            "kind": kind,
            "figures": [None if value is None else str(value) for value in row.figures],
        }
        if label != row.label:
            row_node.fields["name"] = label
        pairs.append((budget_node, row_node))
    tree.evaluate(roots)
    return node, _sum_checks(table, node, pairs)


def _sum_checks(table: Table, node: Node, pairs: list[tuple[tree.Node, Node]]) -> list[SumCheck]:
    """Each printed Summa/Totalt figure against the sum the budget app computes."""
    checks: list[SumCheck] = []
    for budget_node, row_node in pairs:
        if budget_node.kind not in (tree.SUM, tree.TOTAL):
            continue
        for column, value in budget_node.figures.items():
            computed = budget_node.values.get(column, Decimal(0))
            checks.append(
                SumCheck(
                    node.id,
                    row_node.id,
                    budget_node.label,
                    _column_name(table, column),
                    str(value),
                    str(computed),
                )
            )
    return checks


def _figures(row: Row) -> dict[int, Decimal]:
    return {index: value for index, value in enumerate(row.figures) if value is not None}


def _column_name(table: Table, column: int) -> str:
    return table.columns[column] if column < len(table.columns) else str(column + 1)
