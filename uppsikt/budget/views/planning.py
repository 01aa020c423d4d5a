"""Planning pages for users with Perm.PLAN: next year's frame, reallocations, editing a
figure, the mapping table, settling or removing a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import last_saved
from uppsikt.lib.concurrency import Conflict, EditConflict
from uppsikt.lib.numbers import format_exact

from .. import actions
from ..document import budget_document
from ..forms import FigureForm, FrameForm, MappingRuleForm, ReallocationForm, versions_as_text
from ..frame import QUANTA, draft_figures
from ..models import BudgetRow, BudgetTable, MappingRule
from ..money import to_unit
from ..series import FigureKind, Series
from ..stored import Loaded, load, series_of
from .tables import crumbs, visible_table


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for text in error.messages:
            form.add_error(None, text)


def _planning_table(request, pk: int):
    table = visible_table(request, pk)
    require(request.user, Perm.PLAN, table)
    return table


@login_required
def frame(request, pk: int):
    """Preview next year's frame (GET), then create the draft (POST)."""
    table = _planning_table(request, pk)
    loaded = load(table)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = FrameForm(data, table=table, series=series_of(loaded))
    preview = None
    if data is not None and form.is_valid():
        base = Series.from_key(form.cleaned_data["base"])
        rate, rounding = form.cleaned_data["rate"], form.cleaned_data["rounding"]
        if request.method == "POST":
            try:
                draft = actions.create_next_year_draft(
                    table, actor=request.user, rate=rate, rounding=rounding, base=base
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Utkastet till nästa års budget är skapat."))
                return redirect(draft.get_absolute_url())
        if form.is_valid():
            target = Series(table.year + 1, FigureKind.BUDGET)
            for pk_, amount in draft_figures(loaded, base, rate, QUANTA[rounding]).items():
                loaded.nodes[pk_].figures[target] = amount
            preview = budget_document(
                table,
                columns=[target, base],
                loaded=loaded,
                compare=(target, base),
                compare_label=_("Förändring"),
            )
    return render(
        request,
        "budget/frame_form.html",
        {
            "table": table,
            "form": form,
            "preview": preview,
            "breadcrumbs": [*crumbs(table), (_("Nästa års ram"), None)],
        },
    )


@login_required
def reallocate(request, pk: int):
    table = _planning_table(request, pk)
    form = ReallocationForm(request.POST or None, table=table, series=series_of(load(table)))
    if request.method == "POST" and form.is_valid():
        try:
            actions.reallocate(table, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Beloppet är flyttat."))
            return redirect(table.get_absolute_url() + "#historik")
    return render(
        request,
        "budget/reallocation_form.html",
        {
            "table": table,
            "form": form,
            "breadcrumbs": [*crumbs(table), (_("Omfördela"), None)],
        },
    )


@login_required
def figure_edit(request, pk: int):
    row = get_object_or_404(BudgetRow, pk=pk)
    table = _planning_table(request, row.table_id)
    loaded = load(table)
    form = FigureForm(
        request.POST or None,
        table=table,
        series=series_of(loaded),
        initial={"seen": versions_as_text(_versions(loaded, row))},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            actions.set_figure(
                row,
                actor=request.user,
                series=target,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                expected_version=form.expected_version(target),
            )
        except EditConflict as exc:  # written by someone else since the page was opened
            conflict = _figure_conflict(form, exc, row, target)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Beloppet är sparat."))
            return redirect(row.get_absolute_url())
    return render(
        request,
        "budget/figure_form.html",
        {
            "table": table,
            "row": row,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": [
                *crumbs(table),
                (row.label, row.get_absolute_url()),
                (_("Ändra belopp"), None),
            ],
        },
    )


def _versions(loaded: Loaded, row: BudgetRow) -> dict[str, int]:
    return {
        series.key: figure.row_version
        for (row_pk, series), figure in loaded.figures.items()
        if row_pk == row.pk
    }


def _figure_conflict(form: FigureForm, error: EditConflict, row: BudgetRow, series: Series):
    """Show the figure as it is stored now beside the amount the user typed (kept in the
    form), and let the next save go against it."""
    table = BudgetTable.objects.get(pk=row.table_id)
    loaded = load(table)
    stored = loaded.figures.get((row.pk, series))
    amount = (
        f"{format_exact(to_unit(stored.amount, table.display_unit))} {table.display_unit}"
        if stored is not None
        else _("(inget belopp)")
    )
    saved = [event for event in (last_saved(row), last_saved(table)) if event is not None]
    who, when = max(saved, key=lambda event: event[1]) if saved else ("", None)
    form.rebase(_versions(loaded, row))
    form.add_error(None, error.messages)
    label = _("Belopp i %(series)s") % {"series": series}
    return Conflict(name=f"{row.label}, {series}", who=who, when=when, theirs=[(label, amount)])


@login_required
def mapping(request, pk: int):
    table = _planning_table(request, pk)
    form = MappingRuleForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.table = table
        rule.account_from, rule.account_to = form.cleaned_data["accounts"]
        rule.position = table.mapping_rules.count()
        try:
            actions.save_mapping_rule(rule, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Regeln är sparad."))
            return redirect("budget:mapping", pk=table.pk)
    return render(
        request,
        "budget/mapping.html",
        {
            "table": table,
            "form": form,
            "rules": table.mapping_rules.select_related("row"),
            "breadcrumbs": [*crumbs(table), (_("Mappning från konton"), None)],
        },
    )


@login_required
@require_POST
def mapping_delete(request, pk: int, rule_pk: int):
    table = _planning_table(request, pk)
    rule = get_object_or_404(MappingRule, pk=rule_pk, table=table)
    actions.delete_mapping_rule(rule, actor=request.user)
    messages.success(request, _("Regeln är borttagen."))
    return redirect("budget:mapping", pk=table.pk)


@login_required
@require_POST
def settle(request, pk: int):
    table = _planning_table(request, pk)
    try:
        actions.settle_table(table, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Tabellen är fastställd."))
    return redirect(table.get_absolute_url())


@login_required
@require_POST
def delete_draft(request, pk: int):
    table = _planning_table(request, pk)
    unit = table.unit
    try:
        actions.delete_draft(table, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(table.get_absolute_url())
    messages.success(request, _("Utkastet är borttaget."))
    return redirect("budget:unit", code=unit.organisation.code, slug=unit.slug)
