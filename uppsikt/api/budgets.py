"""Budget tables with their rows and computed figures (sums are computed, never stored).

Amounts are exact kronor as decimal strings ("-2754000000.00"); ``display_unit`` and
``decimals`` say how the region shows them (mnkr, no decimals).
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from uppsikt.budget.document import budget_document
from uppsikt.budget.models import BudgetTable

from .auth import caller
from .pagination import PageParams, filtered, page_of, paginate
from .schemas import READ, Id, PathId, answers

router = Router(tags=["Budget"])


class SeriesOut(Schema):
    key: str = Field(description="Kolumnens nyckel i raderna, t.ex. budget-2023.")
    kind: str
    year: int
    period: str
    label: str


class RowOut(Schema):
    id: int
    parent_id: int | None
    label: str
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
    organisation: str | None = None


BudgetTablePage = page_of(BudgetTableOut, "BudgetTablePage")


def _key(series) -> str:
    return "-".join(part for part in (series.kind, str(series.year), series.period) if part)


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


@router.get(
    "/{table_id}", response=answers(200, BudgetTableDetail, *READ), summary="En budgettabell"
)
def get_table(request, table_id: int = PathId()):
    table = get_object_or_404(BudgetTable.objects.visible_to(caller(request)), pk=table_id)
    doc = budget_document(table)
    series = [
        {"key": _key(s), "kind": s.kind, "year": s.year, "period": s.period, "label": str(s)}
        for s in doc.series
    ]
    rows = [
        {
            "id": display.row.pk,
            "parent_id": display.row.parent_id,
            "label": display.row.label,
            "kind": display.row.kind,
            "depth": display.depth,
            "computed": display.is_computed,
            "values": {
                _key(series): _amount(cell.value)
                for series, cell in zip(doc.series, display.cells, strict=True)
            },
        }
        for display in doc.rows
    ]
    return {**BudgetTableOut.from_orm(table).dict(), "series": series, "rows": rows}
