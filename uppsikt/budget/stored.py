"""A table as stored: its rows as a ``tree.Node`` tree holding each row's own figures.

Two queries (rows, figures), whatever the size of the table. Pages, exports, imports and
checks all start from here.
"""

from dataclasses import dataclass, field

from . import tree
from .models import BudgetRow, BudgetTable, Figure, Series


@dataclass
class Loaded:
    """A table's rows as a tree with their stored figures."""

    table: BudgetTable
    roots: list[tree.Node]
    nodes: dict[int, tree.Node]  # by row pk
    rows: dict[int, BudgetRow]
    figures: dict[tuple[int, Series], Figure] = field(default_factory=dict)


def load(table: BudgetTable) -> Loaded:
    """Two queries: the rows and the figures."""
    rows = {row.pk: row for row in table.rows.all()}
    nodes = {pk: tree.Node(kind=row.kind, label=row.label, key=row) for pk, row in rows.items()}
    loaded = Loaded(table, [], nodes, rows)
    for figure in Figure.objects.filter(row__table=table):
        nodes[figure.row_id].figures[figure.series] = figure.amount
        loaded.figures[(figure.row_id, figure.series)] = figure
    for row in rows.values():
        parent = nodes.get(row.parent_id) if row.parent_id is not None else None
        (parent.children if parent else loaded.roots).append(nodes[row.pk])
    return loaded


def series_of(loaded: Loaded) -> set[Series]:
    """Every series the table's rows have a figure in (stored or, in a preview, proposed)."""
    return {series for node in loaded.nodes.values() for series in node.figures}


def example_series(loaded: Loaded) -> set[Series]:
    """The series holding any example figure: their columns are labelled as examples."""
    return {series for (_pk, series), figure in loaded.figures.items() if figure.is_example}
