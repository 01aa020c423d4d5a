"""What every budget action shares: writing figures, locking a table."""

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
    """Create, update or (for None) delete figures; returns counts."""
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
                )
            )
        elif figure.amount != amount or figure.is_example != is_example:
            figure.amount, figure.is_example, figure.source = amount, is_example, source[:200]
            updated.append(figure)
    Figure.objects.bulk_create(created, batch_size=1000)
    Figure.objects.bulk_update(updated, ["amount", "is_example", "source"], batch_size=1000)
    Figure.objects.filter(pk__in=deleted).delete()
    return {"nya": len(created), "ändrade": len(updated), "borttagna": len(deleted)}


def lock_table(table: BudgetTable) -> BudgetTable:
    """Serialise writers to one table (PostgreSQL; SQLite has one writer anyway)."""
    return BudgetTable.objects.select_for_update().get(pk=table.pk)


def has_example_figures(loaded: Loaded, series: Series) -> bool:
    return any(f.is_example for (_pk, s), f in loaded.figures.items() if s == series)
