"""Year-end pages: a unit's ISK-bedömning, regionstyrelsens samlad bedömning, the risk scale."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.control.actions.followup import confirm_overall_assessment, save_unit_assessment
from uppsikt.control.actions.scale import configure_scale
from uppsikt.organisations.models import Unit

from .. import visibility
from ..forms import ScaleForm, SufficiencyForm
from ..models import RiskScale, scale_for
from ..queries import overall_assessment, unit_assessment, unit_followup, year_end_period
from ..units import ASSESSING_KINDS, region_owner
from .common import add_errors, get_organisation, readable_unit, region_crumbs, unit_crumbs


def _form_for(request, may: bool, existing) -> SufficiencyForm | None:
    if not may:
        if request.method == "POST":
            raise PermissionDenied
        return None
    initial = {"level": existing.level, "motivation": existing.motivation} if existing else {}
    return SufficiencyForm(request.POST or None, initial=initial)


def unit_isk(request, code: str, slug: str, year: int):
    """The unit's ISK-bedömning for the year, with its follow-up summed up beside it."""
    unit = readable_unit(request, code, slug, year)
    period = year_end_period(unit.organisation_id, year)
    if period is None or unit.kind not in ASSESSING_KINDS:
        raise Http404
    existing = unit_assessment(unit, period, user=request.user)
    may = period.is_open and can(request.user, Perm.PLAN, unit)
    form = _form_for(request, may, existing)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            save_unit_assessment(unit, period, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("ISK-bedömningen är sparad."))
            return redirect("control:unit_isk", code, slug, year)
    return render(
        request,
        "control/unit_isk.html",
        {
            "unit": unit,
            "year": year,
            "period": period,
            "assessment": existing,
            "followup": unit_followup(unit, period, user=request.user),
            "form": form,
            "hidden": not visibility.can_read_followup(
                request.user, unit, period, region_owner(unit.organisation_id)
            ),
            "breadcrumbs": [*unit_crumbs(unit, year), (_("ISK-bedömning"), None)],
        },
    )


def overall(request, code: str, year: int):
    """Regionstyrelsens samlad bedömning: the units side by side, the proposal, the decision."""
    organisation = get_organisation(code)
    period = year_end_period(organisation, year)
    owner = region_owner(organisation)
    if period is None or owner is None:
        raise Http404
    data = overall_assessment(organisation, period, user=request.user)
    may = period.is_open and can(request.user, Perm.PLAN, owner)
    form = _form_for(request, may, data.confirmed)
    if form is not None and not data.confirmed and data.proposal.level and not form.is_bound:
        form.initial["level"] = data.proposal.level
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            confirm_overall_assessment(
                organisation, period, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Den samlade bedömningen är sparad."))
            return redirect("control:overall", code, year)
    return render(
        request,
        "control/overall.html",
        {
            "organisation": organisation,
            "year": year,
            "period": period,
            "owner": owner,
            "data": data,
            "form": form,
            "units_without_view": not can(request.user, Perm.VIEW, owner),
            "breadcrumbs": [*region_crumbs(organisation, year), (_("Samlad bedömning"), None)],
        },
    )


def _may_configure(user, organisation) -> bool:
    roots = list(Unit.objects.filter(organisation=organisation, parent__isnull=True))
    return bool(roots) and all(can(user, Perm.ADMIN, root) for root in roots)


def scale_page(request, code: str):
    """The organisation's risk scale, documented; administrators can change it here."""
    organisation = get_organisation(code)
    scale = scale_for(organisation)
    form = None
    if _may_configure(request.user, organisation):
        form = ScaleForm(
            request.POST or None,
            initial={
                "likelihood_labels": "\n".join(scale.likelihood_labels),
                "consequence_labels": "\n".join(scale.consequence_labels),
                "medium_from": scale.medium_from,
                "high_from": scale.high_from,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                configure_scale(organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Riskskalan är sparad."))
                return redirect("control:scale", code)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "control/scale.html",
        {
            "organisation": organisation,
            "scale": scale,
            "configured": RiskScale.objects.filter(organisation=organisation).exists(),
            "form": form,
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Riskskala"), None),
            ],
        },
    )
