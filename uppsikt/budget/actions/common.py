"""What every budget action shares: writing figures, locking a table.

A table's ``row_version`` moves by one with every write of its figures (and its status);
each figure written takes the table's new version as its own, so a figure's version is
never the same twice, even across a removal (``lib.concurrency``)."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError

from ..models import BudgetTable, Figure
from ..series import Series
from ..stored import Loaded

Key = tuple[int, Series]


def fail_with(problems: Iterable[object]) -> ValidationError:
    return ValidationError([str(problem) for problem in problems])


def write_figures(
    loaded: Loaded, changes: Mapping[Key, Decimal | None], *, source: str, is_example: bool
) -> dict[str, int]:
    """Create, update or (for None) delete figures; returns counts. The table (locked by the
    caller) gets a new ``row_version`` when anything changes."""
    version = loaded.table.row_version + 1
    created, updated, deleted = [], [], []
    for (pk, series), amount in changes.items():
        figure = loaded.figures.get((pk, series))
        if amount is None:
            if figure is not None:
                deleted.append(figure.pk)
            continue
        if figure is None:
            created.append(
                Figure(
                    row_id=pk,
                    kind=series.kind,
                    year=series.year,
                    period=series.period,
                    amount=amount,
                    is_example=is_example,
                    source=source[:200],
                    row_version=version,
                )
            )
        elif figure.amount != amount or figure.is_example != is_example:
            figure.amount, figure.is_example, figure.source = amount, is_example, source[:200]
            figure.row_version = version
            updated.append(figure)
    Figure.objects.bulk_create(created, batch_size=1000)
    Figure.objects.bulk_update(
        updated, ["amount", "is_example", "source", "row_version"], batch_size=1000
    )
    Figure.objects.filter(pk__in=deleted).delete()
    if created or updated or deleted:
        new_version(loaded.table, version)
    return {"nya": len(created), "ändrade": len(updated), "borttagna": len(deleted)}


def new_version(table: BudgetTable, version: int | None = None) -> None:
    """Store the locked table's next ``row_version`` (or ``version``)."""
    table.row_version = table.row_version + 1 if version is None else version
    BudgetTable.objects.filter(pk=table.pk).update(row_version=table.row_version)


def lock_table(table: BudgetTable) -> BudgetTable:
    """Serialise writers to one table (PostgreSQL; SQLite has one writer anyway)."""
    return BudgetTable.objects.select_for_update().get(pk=table.pk)


def has_example_figures(loaded: Loaded, series: Series) -> bool:
    return any(f.is_example for (_pk, s), f in loaded.figures.items() if s == series)
