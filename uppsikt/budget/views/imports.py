"""Importing figures: upload → check (a background job) → every problem, or a preview →
import. No JavaScript needed: the job's page refreshes by a link, the rest are forms."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, require

from .. import actions
from ..forms import ImportForm
from ..importers.template import template_csv, template_xlsx
from ..models import BudgetImport, BudgetRow, Series
from ..money import format_money
from ..stored import load, series_of
from ..tasks import start_import_check
from .tables import XLSX, chosen_columns, crumbs, visible_table


@login_required
def import_upload(request, pk: int):
    table = visible_table(request, pk)
    require(request.user, Perm.PLAN, table)
    form = ImportForm(request.POST or None, request.FILES or None, table=table)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = actions.stage_import(
                table,
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                options=form.options(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            job = start_import_check(staged, user=request.user)
            return redirect(job.get_absolute_url())
    return render(
        request,
        "budget/import_form.html",
        {
            "table": table,
            "form": form,
            "rules": table.mapping_rules.select_related("row"),
            "breadcrumbs": [*crumbs(table), (_("Importera"), None)],
        },
    )


def _visible_import(request, pk: int) -> BudgetImport:
    budget_import = get_object_or_404(
        BudgetImport.objects.select_related("table__unit__organisation", "created_by", "job"),
        pk=pk,
    )
    visible_table(request, budget_import.table_id)  # 404 unless the table is visible
    require(request.user, Perm.PLAN, budget_import.table)
    return budget_import


def _preview(budget_import: BudgetImport) -> list[dict]:
    table = budget_import.table
    rows = {row.pk: row for row in BudgetRow.objects.filter(table=table)}
    unit, decimals = table.display_unit, max(table.decimals, 1)
    out = []
    for change in budget_import.changes[:500]:
        old = change["old"]
        row = rows.get(change["row"])
        out.append(
            {
                "row": row.label if row else "?",
                "series": str(Series.from_key(change["series"])),
                "old": "" if old is None else format_money(Decimal(old), unit, decimals),
                "new": format_money(Decimal(change["new"]), unit, decimals),
            }
        )
    return out


@login_required
def import_detail(request, pk: int):
    budget_import = _visible_import(request, pk)
    table = budget_import.table
    return render(
        request,
        "budget/import_detail.html",
        {
            "table": table,
            "budget_import": budget_import,
            "preview": _preview(budget_import),
            "unmapped": [
                {**item, "belopp": format_money(Decimal(item["belopp"]), "kr", 2)}
                for item in budget_import.summary.get("ej_mappade", [])
            ],
            "warnings": budget_import.summary.get("varningar", []),
            "more": max(0, len(budget_import.changes) - 500),
            "breadcrumbs": [*crumbs(table), (budget_import.file_name, None)],
        },
    )


@login_required
@require_POST
def import_apply(request, pk: int):
    budget_import = _visible_import(request, pk)
    try:
        counts = actions.apply_import(budget_import, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(budget_import.get_absolute_url())
    messages.success(
        request,
        _("%(file)s är inläst: %(new)s nya och %(changed)s ändrade belopp.")
        % {"file": budget_import.file_name, "new": counts["nya"], "changed": counts["ändrade"]},
    )
    return redirect(budget_import.table.get_absolute_url())


@login_required
def import_template(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    table = visible_table(request, pk)
    require(request.user, Perm.PLAN, table)
    loaded = load(table)
    columns, _view = chosen_columns(request, loaded)
    columns = (
        columns or table.default_columns or sorted(series_of(loaded), key=lambda s: s.sort_key)
    )
    name = f"importmall-{table.year}-{table.unit.slug}-{table.number or table.pk}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(table, columns), content_type=XLSX)
    else:
        response = HttpResponse(
            template_csv(table, columns), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
