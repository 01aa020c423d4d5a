"""A table as plain data, for the API and other readers: every figure a ``Decimal`` in kronor.

``table_data`` gives what the page shows (the chosen columns, computed sums, the variance)
without formatting. Rows come in reading order with their depth and parent, so a reader can
rebuild the tree; computed rows carry their computed values, never stored ones.
"""

from decimal import Decimal
from typing import Any, Literal

from . import tree
from .document import budget_document
from .models import BudgetTable, Series
from .stored import load, series_of


def table_data(
    table: BudgetTable, columns: list[Series] | Literal["all"] | None = None
) -> dict[str, Any]:
    """The table as a dict; ``columns`` as on the page, or ``"all"`` for every series.

    >>> data = table_data(table)
    >>> data["columns"][0]["key"], data["rows"][-1]["values"]["budget-2023"]
    ('budget-2023', Decimal('-3007000000.00'))
    """
    loaded = load(table)
    if columns == "all":
        columns = sorted(series_of(loaded), key=lambda s: s.sort_key)
    doc = budget_document(table, columns=columns, loaded=loaded)
    return {
        "id": table.pk,
        "organisation": table.unit.organisation.code,
        "unit": table.unit.slug,
        "year": table.year,
        "kind": table.kind,
        "number": table.number,
        "title": table.title,
        "status": table.status,
        "display_unit": table.display_unit,
        "decimals": table.decimals,
        "is_example": table.is_example or doc.has_examples,
        "columns": [
            {
                "key": column.key,
                "kind": column.series.kind,
                "year": column.series.year,
                "period": column.series.period or None,
                "label": column.label,
                "is_example": column.is_example,
            }
            for column in doc.columns
        ],
        "variance": None
        if doc.variance is None
        else {"actual": doc.variance[0].key, "budget": doc.variance[1].key},
        "rows": [
            {
                "id": line.row.pk,
                "parent": line.row.parent_id,
                "code": line.row.code,
                "label": line.row.label,
                "kind": line.row.kind,
                "depth": line.depth,
                "note": line.row.note,
                "values": {
                    column.key: cell.value
                    for column, cell in zip(doc.columns, line.cells, strict=True)
                },
                "variance": None if line.variance is None else line.variance.value,
            }
            for line in doc.rows
        ],
        "rounding_notes": doc.rounding_notes,
    }


def row_values(table: BudgetTable) -> dict[int, dict[str, Decimal]]:
    """Row id → series key → computed value, for every series (computed rows included)."""
    loaded = load(table)
    tree.evaluate(loaded.roots)
    return {
        pk: {series.key: value for series, value in node.values.items()}
        for pk, node in loaded.nodes.items()
    }
