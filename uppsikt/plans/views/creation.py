"""Starting a plan for a unit and a year: empty, as a copy of an earlier year's plan, or
breaking down the plan of the unit above (``actions.authoring.create_plan``).

The page works in two steps without JavaScript: a GET form chooses the unit and the year
(``?enhet=<pk>&ar=<year>``), which decides the plans that can be copied or broken down; the
POST form below it says how the plan starts and creates it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, require_somewhere

from ..actions.authoring import create_plan, default_title
from ..creation_forms import PlanCreationForm


def _initial(request) -> dict:
    return {
        "enhet": request.GET.get("enhet") or None,
        "ar": request.GET.get("ar") or None,  # the form's default_year for the unit
        "satt": request.GET.get("satt") or None,
    }


@login_required
def plan_create(request):
    """``plans:create``: the form, and on success the new plan (its breakdown page when it
    breaks down the plan above)."""
    require_somewhere(request.user, Perm.PLAN)  # before anything posted is read
    if request.method == "POST":
        form = PlanCreationForm(request.POST, user=request.user)
        if form.is_valid():
            plan = _create(request, form)
            if plan is not None:
                messages.success(request, _("Planen är skapad som utkast."))
                if form.cleaned_data["satt"] == "breakdown":
                    return redirect("plans:breakdown", plan.pk)
                return redirect(plan)
    else:
        form = PlanCreationForm(initial=_initial(request), user=request.user)
    unit, year = form.unit, form.year
    return render(
        request,
        "plans/plan_create.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "copies": list(form.fields["kopia"].queryset) if unit else [],
            "above": list(form.fields["ovan"].queryset) if unit else [],
            "default_title": default_title(unit, year, None, "empty") if unit and year else "",
            "breadcrumbs": _crumbs(unit),
        },
    )


def _create(request, form: PlanCreationForm):
    data = form.cleaned_data
    try:
        return create_plan(
            data["enhet"],
            data["ar"],
            actor=request.user,
            mode=data["satt"],
            source=form.source,
            title=data["titel"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form.add_action_errors(error.message_dict)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return None


def _crumbs(unit) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = []
    if unit is not None:
        crumbs = [
            (unit.organisation.name, unit.organisation.get_absolute_url()),
            (unit.name, unit.get_absolute_url()),
        ]
    return [*crumbs, (_("Ny plan"), None)]
