"""Forms to add, change and remove a risk or an åtgärd, one at a time (bulk: the XLSX import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require
from uppsikt.audit.trail import last_saved
from uppsikt.control.actions.plans import (
    create_measure,
    create_risk,
    delete_measure,
    delete_risk,
    ensure_control_plan,
    update_measure,
    update_risk,
)
from uppsikt.lib.concurrency import Conflict, EditConflict

from .. import visibility
from ..forms import MeasureEditForm, MeasureForm, RiskEditForm, RiskForm
from ..models import Measure, Risk
from ..units import region_owner
from .common import add_errors, readable_unit, unit_crumbs, unit_url


def _is_owner(unit) -> bool:
    owner = region_owner(unit.organisation_id)
    return owner is not None and owner.pk == unit.pk


def _render(
    request,
    title: str,
    form,
    crumbs,
    *,
    back: str,
    delete_label: str = "",
    conflict: Conflict | None = None,
):
    return render(
        request,
        "control/edit_form.html",
        {
            "title": title,
            "form": form,
            "conflict": conflict,
            "back": back,
            "delete_label": delete_label,
            "breadcrumbs": [*crumbs, (title, None)],
        },
    )


@login_required
def risk_new(request, code: str, slug: str, year: int):
    unit = readable_unit(request, code, slug, year)
    require(request.user, Perm.PLAN, unit)
    form = RiskForm(request.POST or None, region_wide_allowed=_is_owner(unit))
    if request.method == "POST" and form.is_valid():
        try:
            plan = ensure_control_plan(unit, year, actor=request.user)
            risk = create_risk(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Risken är tillagd."))
            return redirect(risk.get_absolute_url())
    return _render(request, _("Ny risk"), form, unit_crumbs(unit, year), back=unit_url(unit, year))


def _planned_risk(request, pk: int) -> Risk:
    risk = get_object_or_404(
        visibility.risks(request.user).select_related("control_plan__unit__organisation", "area"),
        pk=pk,
    )
    require(request.user, Perm.PLAN, risk)
    return risk


def _risk_values(risk: Risk) -> dict[str, Any]:
    return {
        "area": risk.area.name,
        "text": risk.text,
        "requirements": risk.requirements,
        "is_region_wide": risk.is_region_wide,
        "note": risk.note,
    }


@login_required
def risk_edit(request, pk: int):
    risk = _planned_risk(request, pk)
    plan = risk.control_plan
    form = RiskEditForm(
        request.POST or None,
        initial={**_risk_values(risk), "row_version": risk.row_version},
        region_wide_allowed=_is_owner(plan.unit) or risk.is_region_wide,
    )
    done, conflict = _edit(
        request,
        form,
        risk,
        values=_risk_values,
        update=lambda **values: update_risk(risk, **values),
        delete=lambda actor: delete_risk(risk, actor=actor),
        saved=_("Risken är sparad."),
        removed=_("Risken är borttagen."),
        done=risk.get_absolute_url(),
        gone=unit_url(plan.unit, plan.year),
    )
    if done:
        return done
    crumbs = [*unit_crumbs(plan.unit, plan.year), (str(risk), risk.get_absolute_url())]
    return _render(
        request,
        _("Ändra risken"),
        form,
        crumbs,
        back=risk.get_absolute_url(),
        delete_label=_("Ta bort risken"),
        conflict=conflict,
    )


def _edit(
    request,
    form,
    obj: Risk | Measure,
    *,
    values: Callable[[Any], dict[str, Any]],
    update,
    delete,
    saved: str,
    removed: str,
    done: str,
    gone: str,
):
    """POST of an edit page: ``action=delete`` removes, otherwise a valid form saves what
    its user changed, against the version the page was opened with.

    Returns (a redirect when done, else None: the page is shown again with the errors; and
    the conflict to show when someone else saved ``obj`` meanwhile)."""
    if request.method != "POST":
        return None, None
    try:
        if request.POST.get("action") == "delete":
            delete(actor=request.user)
            messages.success(request, removed)
            return redirect(gone), None
        if form.is_valid():
            if form.has_changed():  # an unchanged form writes nothing
                update(
                    actor=request.user,
                    expected_version=form.expected_version(obj.row_version, values(obj)),
                    **{name: form.cleaned_data[name] for name in form.changed_data},
                )
            messages.success(request, saved)
            return redirect(done), None
    except EditConflict as error:
        current = type(obj).objects.filter(pk=obj.pk).first()
        if current is None:  # removed meanwhile
            messages.error(request, " ".join(error.messages))
            return redirect(gone), None
        conflict = form.refuse(
            error,
            values(current),
            version=current.row_version,
            name=str(current),
            saved=last_saved(current),
        )
        return None, conflict
    except ValidationError as error:
        add_errors(form, error)
    return None, None


@login_required
def measure_new(request, risk_pk: int):
    risk = _planned_risk(request, risk_pk)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_measure(risk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Åtgärden är tillagd."))
            return redirect(risk.get_absolute_url())
    plan = risk.control_plan
    crumbs = [*unit_crumbs(plan.unit, plan.year), (str(risk), risk.get_absolute_url())]
    return _render(request, _("Ny åtgärd"), form, crumbs, back=risk.get_absolute_url())


@login_required
def measure_edit(request, pk: int):
    measure = get_object_or_404(Measure, pk=pk)
    risk = _planned_risk(request, measure.risk_id)
    form = MeasureEditForm(
        request.POST or None,
        initial={**_measure_values(measure), "row_version": measure.row_version},
    )
    done, conflict = _edit(
        request,
        form,
        measure,
        values=_measure_values,
        update=lambda **values: update_measure(measure, **values),
        delete=lambda actor: delete_measure(measure, actor=actor),
        saved=_("Åtgärden är sparad."),
        removed=_("Åtgärden är borttagen."),
        done=risk.get_absolute_url(),
        gone=risk.get_absolute_url(),
    )
    if done:
        return done
    plan = risk.control_plan
    crumbs = [*unit_crumbs(plan.unit, plan.year), (str(risk), risk.get_absolute_url())]
    return _render(
        request,
        _("Ändra åtgärden"),
        form,
        crumbs,
        back=risk.get_absolute_url(),
        delete_label=_("Ta bort åtgärden"),
        conflict=conflict,
    )


def _measure_values(measure: Measure) -> dict[str, Any]:
    return {name: getattr(measure, name) for name in MeasureForm.base_fields}
