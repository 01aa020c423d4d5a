from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Unit

from .document import budget_document
from .models import BudgetRow, BudgetTable
from .xlsx import table_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_table(request, pk: int) -> BudgetTable:
    tables = BudgetTable.objects.visible_to(request.user).select_related(
        "unit__organisation", "plan"
    )
    return get_object_or_404(tables, pk=pk)


def _crumbs(table: BudgetTable) -> list[tuple[str, str | None]]:
    unit = table.unit
    return [
        (unit.organisation.name, unit.organisation.get_absolute_url()),
        (unit.name, unit.get_absolute_url()),
        (_("Budget"), _unit_url(unit)),
        (str(table), table.get_absolute_url()),
    ]


def _unit_url(unit: Unit) -> str:
    return reverse("budget:unit", args=[unit.organisation.code, unit.slug])


def table_detail(request, pk: int):
    table = _visible_table(request, pk)
    crumbs = _crumbs(table)
    return render(
        request,
        "budget/table_detail.html",
        {
            "table": table,
            "doc": budget_document(table),
            "breadcrumbs": [*crumbs[:-1], (crumbs[-1][0], None)],
        },
    )


def table_xlsx(request, pk: int):
    table = _visible_table(request, pk)
    response = HttpResponse(table_workbook(budget_document(table)), content_type=XLSX)
    name = f"budget-{table.year}-{table.unit.slug}-{table.number or table.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def row_detail(request, pk: int):
    row = get_object_or_404(BudgetRow.objects.select_related("parent"), pk=pk)
    table = _visible_table(request, row.table_id)
    if row.kind == BudgetRow.Kind.HEADING:
        raise Http404
    return render(
        request,
        "budget/row_detail.html",
        {
            "table": table,
            "row": row,
            "doc": budget_document(table, root=row),
            "breadcrumbs": [*_crumbs(table), (row.label, None)],
        },
    )


def unit_tables(request, code: str, slug: str):
    unit = get_object_or_404(
        Unit.objects.select_related("organisation"), organisation__code=code, slug=slug
    )
    tables = BudgetTable.objects.visible_to(request.user).filter(unit=unit)
    return render(
        request,
        "budget/unit_tables.html",
        {
            "unit": unit,
            "tables": tables,
            "breadcrumbs": [
                (unit.organisation.name, unit.organisation.get_absolute_url()),
                (unit.name, unit.get_absolute_url()),
                (_("Budget"), None),
            ],
        },
    )
