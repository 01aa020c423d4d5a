"""Reading pages: a table, a row's drill-down, a unit's tables, the XLSX export."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.organisations.models import Unit

from .. import forecast
from ..document import budget_document, follow_up_columns
from ..history import table_history
from ..models import BudgetRow, BudgetTable, Series
from ..publication import for_reader
from ..series import SeriesError
from ..stored import Loaded, load, series_of
from ..xlsx import table_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_table(request, pk: int) -> BudgetTable:
    tables = BudgetTable.objects.visible_to(request.user).select_related(
        "unit__organisation", "plan", "based_on"
    )
    return get_object_or_404(tables, pk=pk)


def crumbs(table: BudgetTable) -> list[tuple[str, str | None]]:
    unit = table.unit
    return [
        (unit.organisation.name, unit.organisation.get_absolute_url()),
        (unit.name, unit.get_absolute_url()),
        (_("Budget"), unit_url(unit)),
        (f"{table} {table.year}", table.get_absolute_url()),
    ]


def unit_url(unit: Unit) -> str:
    return reverse("budget:unit", args=[unit.organisation.code, unit.slug])


def chosen_columns(request, loaded: Loaded) -> tuple[list[Series] | None, str]:
    """The columns asked for: ``?kolumn=budget-2023&kolumn=…`` or a view (``?visa=``)."""
    view = request.GET.get("visa", "")
    if view == "uppfoljning":
        return follow_up_columns(loaded, loaded.table.year), view
    if view == "alla":
        return sorted(series_of(loaded), key=lambda s: s.sort_key), view
    wanted = []
    for key in request.GET.getlist("kolumn"):
        try:
            wanted.append(Series.from_key(key))
        except SeriesError:
            continue
    return (wanted or None), ("egna" if wanted else "")


def column_choices(loaded: Loaded, shown: list[Series]) -> list[dict]:
    return [
        {"key": s.key, "label": str(s), "checked": s in shown}
        for s in sorted(series_of(loaded), key=lambda s: s.sort_key)
    ]


def table_detail(request, pk: int):
    table = visible_table(request, pk)
    loaded = for_reader(load(table), request.user)
    columns, view = chosen_columns(request, loaded)
    doc = budget_document(table, columns=columns, loaded=loaded)
    year = forecast.year_of(loaded, table.year)
    query = urlencode([("kolumn", s.key) for s in doc.series])
    path = crumbs(table)
    context = {
        "table": table,
        "doc": doc,
        "view": view,
        "choices": column_choices(loaded, doc.series),
        "follow_up": follow_up_columns(loaded, table.year),
        "xlsx_url": f"{reverse('budget:table_xlsx', args=[table.pk])}?{query}",
        "year": year,
        "chart": forecast.chart(year, table.display_unit, table.decimals),
        "breadcrumbs": [*path[:-1], (path[-1][0], None)],
    }
    if can(request.user, Perm.VIEW, table):
        context["history"] = table_history(table)
        context["reallocations"] = table.reallocations.select_related(
            "from_row", "to_row", "made_by"
        )[:50]
    if can(request.user, Perm.PLAN, table):
        context["imports"] = table.imports.select_related("created_by")[:10]
    return render(request, "budget/table_detail.html", context)


def table_xlsx(request, pk: int):
    table = visible_table(request, pk)
    loaded = for_reader(load(table), request.user)
    columns, _view = chosen_columns(request, loaded)
    doc = budget_document(table, columns=columns, loaded=loaded)
    response = HttpResponse(table_workbook(doc), content_type=XLSX)
    name = f"budget-{table.year}-{table.unit.slug}-{table.number or table.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def row_detail(request, pk: int):
    row = get_object_or_404(BudgetRow.objects.select_related("parent"), pk=pk)
    table = visible_table(request, row.table_id)
    if row.kind == BudgetRow.Kind.HEADING:
        raise Http404
    loaded = for_reader(load(table), request.user)
    columns, view = chosen_columns(request, loaded)
    doc = budget_document(table, root=row, columns=columns, loaded=loaded)
    year = forecast.year_of(loaded, table.year, loaded.nodes[row.pk])
    context = {
        "table": table,
        "row": row,
        "doc": doc,
        "view": view,
        "choices": column_choices(loaded, doc.series),
        "year": year,
        "chart": forecast.chart(year, table.display_unit, table.decimals),
        "breadcrumbs": [*crumbs(table), (row.label, None)],
    }
    if can(request.user, Perm.VIEW, table):
        context["reallocations"] = (
            table.reallocations.filter(from_row=row) | table.reallocations.filter(to_row=row)
        ).select_related("from_row", "to_row", "made_by")
        context["history"] = table_history(table, row=row)
    return render(request, "budget/row_detail.html", context)


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
