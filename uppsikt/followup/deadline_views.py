"""The "Sista dagar" page of a period: its deadlines, a unit's earlier ones, and their forms.

Everyone who reads the organisation's follow-up sees what holds for each unit; an
administrator of the whole organisation changes them here (``periods.deadline_actions``
holds the rules). Plain forms, no JavaScript: "Ändra" on a unit fills the unit form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uppsikt.accounts.access import Perm, units_with
from uppsikt.lib.problems import show_refusal
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods import deadline_actions
from uppsikt.periods.deadlines import deadlines_by_unit
from uppsikt.periods.models import ReportingPeriod, UnitDeadline
from uppsikt.periods.rules import can_on_organisation, require_organisation_admin

from .scope import unit_tree

DATE_HELP = gettext_lazy("Som ÅÅÅÅ-MM-DD. Lämna tomt för ingen.")


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PeriodDeadlinesForm(forms.Form):
    report_by = _date_field(gettext_lazy("Sista dag för rapportering"))
    review_by = _date_field(gettext_lazy("Sista dag för granskning"))


class UnitDeadlineForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Enhet"), queryset=Unit.objects.none())
    report_by = _date_field(gettext_lazy("Sista dag för rapportering"))
    review_by = _date_field(gettext_lazy("Sista dag för granskning"))

    def __init__(self, *args, units: list[tuple[Unit, int]], **kwargs) -> None:
        kwargs.setdefault("auto_id", "enhet_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit, _depth in units])
        field.choices = [("", "–")] + [
            (unit.pk, "\u2003" * depth + unit.name) for unit, depth in units
        ]


def _period(request, code: str, slug: str) -> ReportingPeriod:
    organisation = get_object_or_404(Organisation, code=code)
    allowed = units_with(request.user, Perm.VIEW)
    if not any(pk in allowed for pk in organisation.units.values_list("pk", flat=True)):
        raise Http404
    return get_object_or_404(
        ReportingPeriod.objects.select_related("organisation"), organisation=organisation, slug=slug
    )


def _post(
    request, period, units
) -> tuple[bool, PeriodDeadlinesForm | None, UnitDeadlineForm | None]:
    """Carry out the form sent; (done, the period form, the unit form) to show again."""
    what = request.POST.get("what")
    form = PeriodDeadlinesForm(request.POST)
    try:
        if what == "period":
            if not form.is_valid():
                return False, form, None
            deadline_actions.set_period_deadlines(period, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Organisationens sista dagar är sparade."))
        elif what == "unit":
            unit_form = UnitDeadlineForm(request.POST, units=units)
            if not unit_form.is_valid():
                return False, None, unit_form
            form_data = unit_form.cleaned_data
            try:
                deadline_actions.set_unit_deadline(
                    period, form_data.pop("unit"), actor=request.user, **form_data
                )
            except ValidationError as error:
                show_refusal(unit_form, error)
                return False, None, unit_form
            messages.success(request, _("Enhetens sista dagar är sparade."))
        elif what == "remove":
            unit = get_object_or_404(
                Unit, organisation_id=period.organisation_id, pk=request.POST.get("unit", 0) or 0
            )
            deadline_actions.remove_unit_deadline(period, unit, actor=request.user)
            messages.success(
                request, _("%(unit)s har inte längre egna sista dagar.") % {"unit": unit.name}
            )
        else:
            raise Http404
    except ValidationError as error:  # a refusal (PermissionDenied) is a 403 page
        if what == "period":
            show_refusal(form, error)
            return False, form, None
        for message in error.messages:
            messages.error(request, message)
    return True, None, None


@login_required
def period_deadlines(request, code: str, slug: str):
    period = _period(request, code, slug)
    organisation = period.organisation
    units = unit_tree(organisation.pk)
    is_admin = can_on_organisation(request.user, Perm.ADMIN, organisation.pk)
    period_form = unit_form = None
    if request.method == "POST":
        if not is_admin:
            require_organisation_admin(request.user, organisation)  # a 403 page
        done, period_form, unit_form = _post(request, period, units)
        if done:
            return redirect("followup:deadlines", code, slug)
    own = {d.unit_id: d for d in UnitDeadline.objects.filter(period=period)}
    chosen = request.GET.get("enhet", "")
    initial = next(
        (
            {"unit": d.unit_id, "report_by": d.report_by, "review_by": d.review_by}
            for d in own.values()
            if str(d.unit_id) == chosen
        ),
        {},
    )
    holding = deadlines_by_unit(period, [unit for unit, _depth in units])
    return render(
        request,
        "followup/deadlines.html",
        {
            "period": period,
            "organisation": organisation,
            "rows": [
                {"unit": unit, "depth": depth, "own": own.get(unit.pk), "holds": holding[unit.pk]}
                for unit, depth in units
            ],
            "may_edit": is_admin and period.is_open,
            "period_form": period_form
            or PeriodDeadlinesForm(
                initial={"report_by": period.report_by, "review_by": period.review_by}
            ),
            "unit_form": unit_form or UnitDeadlineForm(initial=initial, units=units),
            "breadcrumbs": [
                (_("Uppföljning"), reverse("followup:index")),
                (organisation.name, reverse("followup:periods", args=[organisation.code])),
                (period.name, reverse("followup:dashboard", args=[organisation.code, period.slug])),
                (_("Sista dagar"), None),
            ],
        },
    )
