"""Follow-up pages: a unit's follow-up in a period, one åtgärd's follow-up with avvikelser."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can
from uppsikt.audit.trail import last_saved
from uppsikt.control.actions.followup import (
    add_deviation,
    check_period,
    check_reporting_unit,
    delete_deviation,
    follow_up_measure,
    update_deviation,
)
from uppsikt.followup.actions.entries import allowed_states, followup_for, may_edit_entry, set_state
from uppsikt.followup.models import FollowUp
from uppsikt.lib.concurrency import EditConflict
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod

from .. import visibility
from ..forms import DeviationEditForm, DeviationForm, FollowUpForm
from ..models import Deviation, Measure
from ..queries import reported_in_period, risk_rows, unit_followup
from .common import add_errors, current, get_unit, unit_crumbs


def _period(organisation_id: int, pk: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, pk=pk, organisation_id=organisation_id)


def unit_followup_page(request, code: str, slug: str, period: int):
    unit = get_unit(code, slug)
    reporting_period = _period(unit.organisation_id, period)
    if not visibility.can_read_followup(request.user, unit, reporting_period):
        raise Http404
    followup = unit_followup(unit, reporting_period, user=request.user)
    return render(
        request,
        "control/unit_followup.html",
        {
            "unit": unit,
            "period": reporting_period,
            "followup": followup,
            "has_examples": any(row.is_example for row in followup.rows),
            "may_report": reporting_period.is_open and can(request.user, Perm.REPORT, unit),
            "breadcrumbs": [
                *unit_crumbs(unit, reporting_period.year),
                (reporting_period.name, None),
            ],
        },
    )


def _measure_context(request, pk: int, period_pk: int, slug: str):
    measure = get_object_or_404(
        Measure.objects.select_related("risk__control_plan__unit__organisation", "risk__area"),
        pk=pk,
        risk__in=visibility.risks(request.user),
    )
    plan = measure.risk.control_plan
    unit = get_unit(plan.unit.organisation.code, slug)
    period = _period(plan.unit.organisation_id, period_pk)
    try:
        check_reporting_unit(measure, unit)
        check_period(measure, period)
    except ValidationError as error:
        raise Http404 from error
    if not visibility.can_read_followup(request.user, unit, period, plan.unit):
        raise Http404
    return measure, unit, period


def measure_followup_url(measure_pk: int, period_pk: int, slug: str) -> str:
    return reverse("control:measure_followup", args=[measure_pk, period_pk, slug])


def measure_followup(request, pk: int, period: int, slug: str):
    """One unit's follow-up of one åtgärd: status, comment, workflow, avvikelser."""
    measure, unit, reporting_period = _measure_context(request, pk, period, slug)
    entry = followup_for(measure, reporting_period, unit)
    # Each action is offered only to those whose request the rules would accept: writing
    # (and avvikelser) to the unit's writers while the report is with the unit, marking
    # klar/utkast to writers, granskad/back to klar to its granskare.
    may_write = request.user.is_authenticated and may_edit_entry(
        request.user, reporting_period, unit.pk, entry, target=measure
    )
    states = allowed_states(request.user, entry) if request.user.is_authenticated else []
    now = _values(entry)
    # Who may, before what was sent: a post by someone who may do nothing here is refused
    # whatever it holds.
    if request.method == "POST" and not (may_write or states):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not (may_write or (action == "state" and states)):
        raise PermissionDenied
    form = FollowUpForm(
        request.POST if action == "followup" else None,
        initial={**now, "row_version": _version(entry)},
    )
    deviation_form = DeviationForm(request.POST if action == "deviation" else None)
    posted = _Posted(action, measure, reporting_period, unit, entry, now, form, deviation_form)
    done, conflict = _apply_action(request, posted)
    if done:
        return done
    entry = posted.entry  # the entry as saved by someone else, after a conflict
    risk_row = risk_rows(visibility.risks(request.user).filter(pk=measure.risk_id))[0]
    return render(
        request,
        "control/measure_followup.html",
        {
            "measure": measure,
            "risk": risk_row,
            "unit": unit,
            "period": reporting_period,
            "entry": entry,
            "deviations": list(entry.deviations.all()) if entry else [],
            "form": form,
            "conflict": conflict,
            "deviation_form": deviation_form,
            "may_write": may_write,
            "transitions": _transitions(entry, states),
            "reported_here": reported_in_period(
                next(m for m in risk_row.measures if m.pk == measure.pk), reporting_period
            ),
            "breadcrumbs": _crumbs(measure, unit, reporting_period),
        },
    )


@dataclass
class _Posted:
    """What a post to the åtgärd's follow-up page is about, and its forms."""

    action: str | None
    measure: Measure
    period: ReportingPeriod
    unit: Unit
    entry: FollowUp | None
    shown: dict[str, str]
    form: FollowUpForm
    deviation_form: DeviationForm


def _apply_action(request, posted: _Posted) -> tuple[HttpResponse | None, object]:
    """Save what the posted action asks for and redirect back; else (None, the conflict
    shown when someone else saved the entry since the page was opened, or None) with the
    forms carrying any errors."""
    action, form = posted.action, posted.form
    here = measure_followup_url(posted.measure.pk, posted.period.pk, posted.unit.slug)
    try:
        if action == "followup" and form.is_valid():
            _write(form, posted, actor=request.user)
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect(here), None
        if action == "deviation" and posted.deviation_form.is_valid():
            add_deviation(
                posted.measure,
                posted.period,
                actor=request.user,
                unit=posted.unit,
                **posted.deviation_form.cleaned_data,
            )
            messages.success(request, _("Avvikelsen är sparad."))
            return redirect(here), None
        if action == "state" and posted.entry is not None:
            set_state(posted.entry, request.POST.get("state", ""), actor=request.user)
            messages.success(request, _("Arbetsläget är ändrat."))
            return redirect(here), None
    except EditConflict as error:  # saved by someone else since the page was opened
        entry = posted.entry = followup_for(posted.measure, posted.period, posted.unit)
        saved = last_saved(entry) if entry is not None else None
        conflict = form.refuse(
            error, _values(entry), version=_version(entry), name=str(posted.measure), saved=saved
        )
        return None, conflict
    except ValidationError as error:
        add_errors(posted.deviation_form if action == "deviation" else form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None, None


def _write(form, posted: _Posted, *, actor) -> None:
    """Save what the user changed in the follow-up form, against the version it was opened
    with; an unchanged form writes nothing (a first save creates the entry)."""
    if not form.has_changed() and posted.entry is not None:
        return
    changed = form.changed_data
    follow_up_measure(
        posted.measure,
        posted.period,
        actor=actor,
        unit=posted.unit,
        status=form.cleaned_data["status"] if "status" in changed else None,
        comment=form.cleaned_data["comment"] if "comment" in changed else None,
        expected_version=form.expected_version(_version(posted.entry), posted.shown),
    )


def _crumbs(measure: Measure, unit, period: ReportingPeriod) -> list:
    plan = measure.risk.control_plan
    return [
        *unit_crumbs(plan.unit, plan.year),
        (str(measure.risk), measure.risk.get_absolute_url()),
        (_("Uppföljning %(period)s, %(unit)s") % {"period": period.name, "unit": unit.name}, None),
    ]


def _values(entry: FollowUp | None) -> dict[str, str]:
    """The entry as the form shows it (empty before the first save)."""
    from uppsikt.followup.text import comment_as_text

    if entry is None:
        return {"status": "", "comment": ""}
    return {"status": entry.status, "comment": comment_as_text(entry.comment)}


def _version(entry: FollowUp | None) -> int:
    return entry.row_version if entry is not None else 0


def _transitions(entry: FollowUp | None, states: list[str]) -> list[tuple[str, str]]:
    labels = {
        FollowUp.State.KLAR: _("Markera som klar"),
        FollowUp.State.UTKAST: _("Återför till utkast"),
        FollowUp.State.GRANSKAD: _("Markera som granskad"),
    }
    if entry is not None and entry.state == FollowUp.State.GRANSKAD:
        labels[FollowUp.State.KLAR] = _("Återför till klar")
    return [(to, labels[FollowUp.State(to)]) for to in states]


@login_required
def deviation_edit(request, pk: int):
    deviation = get_object_or_404(
        Deviation.objects.select_related("followup__unit", "followup__period"), pk=pk
    )
    entry = deviation.followup
    measure = entry.target
    if not isinstance(measure, Measure):
        raise Http404
    if not visibility.deviations(request.user).filter(pk=deviation.pk).exists():
        raise Http404  # what one may not read does not exist
    if not may_edit_entry(request.user, entry.period, entry.unit_id, entry):
        raise PermissionDenied
    here = measure_followup_url(measure.pk, entry.period_id, entry.unit.slug)
    now = {"found": deviation.found, "handling": deviation.handling}
    form = DeviationEditForm(
        request.POST or None, initial={**now, "row_version": deviation.row_version}
    )
    conflict = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                delete_deviation(deviation, actor=request.user)
                messages.success(request, _("Avvikelsen är borttagen."))
                return redirect(here)
            if form.is_valid():
                if form.has_changed():  # an unchanged form writes nothing
                    expected = form.expected_version(deviation.row_version, now)
                    values = {name: form.cleaned_data[name] for name in ("found", "handling")}
                    update_deviation(
                        deviation, actor=request.user, expected_version=expected, **values
                    )
                messages.success(request, _("Avvikelsen är sparad."))
                return redirect(here)
        except EditConflict as error:
            conflict = _deviation_conflict(form, error, deviation)
            if conflict is None:  # removed meanwhile: nothing left to merge with
                messages.error(request, " ".join(error.messages))
                return redirect(here)
        except ValidationError as error:
            add_errors(form, error)
    plan = measure.risk.control_plan
    return render(
        request,
        "control/deviation_edit.html",
        {
            "deviation": deviation,
            "measure": measure,
            "entry": entry,
            "form": form,
            "conflict": conflict,
            "back": here,
            "breadcrumbs": current(
                [
                    *unit_crumbs(plan.unit, plan.year),
                    (str(measure.risk), measure.risk.get_absolute_url()),
                    (_("Uppföljning"), here),
                    (_("Avvikelse"), None),
                ]
            ),
        },
    )


def _deviation_conflict(form, error: EditConflict, deviation: Deviation):
    """The avvikelse as saved now beside the user's text; None when it was removed."""
    stored = Deviation.objects.filter(pk=deviation.pk).first()
    if stored is None:
        return None
    return form.refuse(
        error,
        {"found": stored.found, "handling": stored.handling},
        version=stored.row_version,
        name=_("Avvikelsen"),
        saved=last_saved(stored),
    )
