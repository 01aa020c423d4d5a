"""The budget rows of a plan's unit and year, as items the plan comparison lists
(registered with ``plans.diff.extra_kinds`` in ``BudgetConfig.ready``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from uppsikt.plans.diff import Item, normalise
from uppsikt.plans.models import Plan

from . import tree
from .models import BudgetTable, Series
from .money import format_money
from .stored import load


def budget_items(plan: Plan, user: Any = None) -> list[Item]:
    """The budget rows of the plan's unit and year, with each row's budget for that year."""
    tables = BudgetTable.objects.filter(plan__unit_id=plan.unit_id, plan__year=plan.year)
    if user is not None:
        tables = tables.visible_to(user)
    items: list[Item] = []
    position = 0
    for table in tables.order_by("position", "number", "pk").distinct():
        roots = load(table).roots
        tree.evaluate(roots)
        series = Series(plan.year, "budget")
        table_key = (table.kind, normalise(table.title))
        stack: list[tuple[tree.Node, tuple[str, ...]]] = [
            (node, (node.label,)) for node in reversed(roots)
        ]
        while stack:
            node, path = stack.pop()
            stack.extend((child, (*path, child.label)) for child in reversed(node.children))
            if node.kind == tree.HEADING:
                continue
            value: Decimal | None = node.values.get(series)
            # Exact kronor, not the table's rounded mnkr: a change of 100 000 kr is a change.
            shown = "" if value is None else f"{format_money(value, 'kr', 2)} kr"
            position += 1
            items.append(
                Item(
                    "budget_row",
                    f"{table.title}: {' › '.join(path)}",
                    {"budget": shown},
                    position,
                    keys=((table_key, tuple(normalise(p) for p in path)),),
                    text=" ".join(path),
                )
            )
    return items
