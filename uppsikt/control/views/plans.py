"""The plan pages: the region's overview and heat map, a unit's plan, risks, XLSX."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm, can, require
from uppsikt.audit import vocabulary
from uppsikt.audit.models import AuditEvent
from uppsikt.control.actions.plans import assess_risk
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Plan

from .. import visibility
from ..forms import ImportForm, RiskAssessmentForm, RiskFilterForm
from ..heatmap import heat_map
from ..importing import ImportRejected
from ..models import ControlAssessment, Measure, Risk, RiskAssessment, scale_for
from ..queries import (
    followup_periods,
    followup_statuses,
    organisation_risks,
    plan_table,
    risk_followups,
    risk_rows,
    year_end_period,
    years,
)
from ..scale import Level
from ..units import is_namnd, namnder, plan_risk_filter, region_owner, reporting_units
from ..xlsx import import_workbook, plan_workbook
from .common import (
    XLSX,
    add_errors,
    current,
    get_organisation,
    readable_unit,
    region_crumbs,
    unit_crumbs,
)


def organisation_index(request, code: str):
    organisation = get_organisation(code)
    found = years(organisation, user=request.user)
    if found:
        return redirect("control:region", code, found[0])
    return render(
        request,
        "control/empty.html",
        {
            "organisation": organisation,
            "breadcrumbs": [
                (organisation.name, organisation.get_absolute_url()),
                (_("Internkontroll"), None),
            ],
        },
    )


def _periods(organisation, year: int, risks) -> list[ReportingPeriod]:
    """The periods in which the åtgärder of ``risks`` are followed up (``reported_in``)."""
    return followup_periods(Measure.objects.filter(risk__in=risks), organisation, year)


def region(request, code: str, year: int):
    """The whole region: heat map of every risk once, each unit's plan, ISK status."""
    organisation = get_organisation(code)
    scale = scale_for(organisation)
    rows = risk_rows(organisation_risks(organisation, year, user=request.user), scale=scale)
    region_wide = [row for row in rows if row.is_region_wide]
    plan_units = {row.unit.pk: row.unit for row in rows}
    units = list(
        Unit.objects.filter(
            pk__in=set(plan_units) | set(namnder(organisation).values_list("pk", flat=True))
        ).order_by("position", "name")
    )
    summary = []
    for unit in units:
        if not visibility.can_read_unit_plan(request.user, unit, year):
            continue  # its page would not open for this reader
        own = [row for row in rows if row.unit.pk == unit.pk]
        inherited = [row for row in region_wide if row.unit.pk != unit.pk] if is_namnd(unit) else []
        levels = Counter(row.level for row in own + inherited)
        summary.append(
            {
                "unit": unit,
                "own": len([row for row in own if not row.is_region_wide]),
                "region_wide": len(inherited) + len([row for row in own if row.is_region_wide]),
                "levels": [levels.get(level, 0) for level in (Level.HIGH, Level.MEDIUM, Level.LOW)],
                "unassessed": levels.get(None, 0),
            }
        )
    period = year_end_period(organisation, year)
    overall = None
    if period is not None and region_owner(organisation) is not None:
        overall = (
            visibility.control_assessments(request.user)
            .filter(period=period, kind=ControlAssessment.Kind.OVERALL)
            .first()
        )
    return render(
        request,
        "control/region.html",
        {
            "organisation": organisation,
            "year": year,
            "years": years(organisation, user=request.user),
            "scale": scale,
            "heatmap": heat_map(((r.likelihood, r.consequence) for r in rows), scale),
            "heatmap_filter": "",
            "summary": summary,
            "risk_count": len(rows),
            "region_wide_count": len(region_wide),
            "namnd_names": list(namnder(organisation).values_list("name", flat=True)),
            "periods": _periods(organisation, year, organisation_risks(organisation, year)),
            "year_end": period,
            "overall": overall,
            "owner": region_owner(organisation),
            "may_view_owner": can(request.user, Perm.VIEW, region_owner(organisation)),
            "breadcrumbs": current(region_crumbs(organisation, year)),
        },
    )


def unit_plan(request, code: str, slug: str, year: int):
    """A unit's internkontrollplan as the seed's table, with its heat map."""
    unit = readable_unit(request, code, slug, year)
    table = plan_table(unit, year, user=request.user)
    verksamhetsplan = (
        Plan.objects.visible_to(request.user)
        .filter(unit=unit, year=year)
        .order_by("-version")
        .first()
    )
    return render(
        request,
        "control/unit_plan.html",
        {
            "unit": unit,
            "organisation": unit.organisation,
            "year": year,
            "table": table,
            "heatmap": heat_map(((r.likelihood, r.consequence) for r in table.risks), table.scale),
            "heatmap_filter": f"enhet={unit.slug}",
            "is_namnd": is_namnd(unit),
            "owner": region_owner(unit.organisation_id),
            "verksamhetsplan": verksamhetsplan,
            "periods": _periods(
                unit.organisation_id, year, Risk.objects.filter(plan_risk_filter(unit, year))
            ),
            # an open period's follow-up is for the unit's readers; the public reads it
            # once the period is closed (visibility.can_read_followup)
            "may_read_open": can(request.user, Perm.VIEW, unit),
            "year_end": year_end_period(unit.organisation_id, year),
            "may_plan": can(request.user, Perm.PLAN, unit),
            "breadcrumbs": current(unit_crumbs(unit, year)),
        },
    )


def unit_xlsx(request, code: str, slug: str, year: int):
    unit = readable_unit(request, code, slug, year)
    table = plan_table(unit, year, user=request.user)
    response = HttpResponse(plan_workbook(table), content_type=XLSX)
    name = f"internkontrollplan-{year}-{unit.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def unit_import(request, code: str, slug: str, year: int):
    unit = readable_unit(request, code, slug, year)
    require(request.user, Perm.PLAN, unit)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, problem_count = [], 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_workbook(
                unit, year, upload.read(), actor=request.user, file_name=upload.name
            )
        except ImportRejected as rejected:
            problems, problem_count = rejected.listed, len(rejected.problems)
        else:
            summary = ", ".join(f"{name} {count}" for name, count in result.counts.items())
            messages.success(request, _("Planen är inläst: %(s)s.") % {"s": summary})
            if result.ignored_columns:
                messages.info(
                    request,
                    _("Kolumner som inte lästes: %(c)s.")
                    % {"c": ", ".join(result.ignored_columns)},
                )
            return redirect("control:unit_plan", code, slug, year)
    return render(
        request,
        "control/import.html",
        {
            "unit": unit,
            "year": year,
            "form": form,
            "problems": problems,
            "problem_count": problem_count,
            "breadcrumbs": [*unit_crumbs(unit, year), (_("Läs in från Excel"), None)],
        },
    )


def risk_list(request, code: str, year: int):
    """Every risk of the year that the user may read, filtered."""
    organisation = get_organisation(code)
    scale = scale_for(organisation)
    risks = organisation_risks(organisation, year, user=request.user)
    unit_ids = set(risks.values_list("control_plan__unit", flat=True))
    if unit_ids:
        unit_ids |= set(namnder(organisation).values_list("pk", flat=True))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("position", "name"))
    areas = sorted(set(risks.values_list("area__name", flat=True)))
    periods = _periods(organisation, year, risks)
    form = RiskFilterForm(
        request.GET or None,
        areas=areas,
        units=[(unit.slug, unit.name) for unit in units],
        periods=periods,
    )
    chosen_unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data["enhet"]:
            chosen_unit = next(unit for unit in units if unit.slug == data["enhet"])
            risks = risks.filter(plan_risk_filter(chosen_unit, year))
        if data["omrade"]:
            risks = risks.filter(area__name=data["omrade"])
    rows = risk_rows(
        risks.order_by("control_plan__unit__position", "area__position", "position"), scale=scale
    )
    rows = _ordered(rows, form.cleaned_data["ordning"] if form.is_valid() else "")
    if form.is_valid():
        rows = _filter_rows(rows, form.cleaned_data)
        if form.cleaned_data["uppfoljning"] and periods:
            chosen = form.cleaned_data["period"]
            period = next((p for p in periods if p.pk == chosen), periods[-1])
            rows = _filter_followup(
                rows, form.cleaned_data["uppfoljning"], period, request.user, chosen_unit
            )
    return render(
        request,
        "control/risk_list.html",
        {
            "organisation": organisation,
            "year": year,
            "form": form,
            "rows": rows,
            "chosen_unit": chosen_unit,
            "has_examples": any(row.is_example for row in rows),
            "breadcrumbs": [*region_crumbs(organisation, year), (_("Risker"), None)],
        },
    )


def _filter_followup(rows, wanted: str, period, user, unit):
    """Risks with an åtgärd of status ``wanted`` in ``period`` ("ej_uppfoljd": without one)."""
    statuses = followup_statuses(
        [m.pk for row in rows for m in row.measures], period, user=user, unit=unit
    )
    if wanted == "ej_uppfoljd":
        return [row for row in rows if any(not statuses[m.pk] for m in row.measures)]
    return [row for row in rows if any(wanted in statuses[m.pk] for m in row.measures)]


def _filter_rows(rows, data):
    if data["niva"]:
        rows = [row for row in rows if row.level and row.level.value == data["niva"]]
    if data["minsta"]:
        rows = [row for row in rows if row.score is not None and row.score >= data["minsta"]]
    if data["beslut"] == "ej_bedomd":
        rows = [row for row in rows if row.score is None]
    elif data["beslut"]:
        rows = [row for row in rows if row.decision == data["beslut"]]
    if data["sannolikhet"]:
        rows = [row for row in rows if row.likelihood == data["sannolikhet"]]
    if data["konsekvens"]:
        rows = [row for row in rows if row.consequence == data["konsekvens"]]
    if data["krav"]:
        # A risk's own krav, or, where the plan names them only for all its risks, the plan's.
        rows = [row for row in rows if data["krav"] in (row.requirements or row.plan_requirements)]
    return rows


def _ordered(rows, order: str):
    """Highest riskvärde first (not assessed last), ties in the plan's order; or plan order."""
    if order == "plan":
        return rows
    return sorted(rows, key=lambda row: -(row.score or 0))


def _visible_risk(request, pk: int) -> Risk:
    return get_object_or_404(
        visibility.risks(request.user).select_related("control_plan__unit__organisation", "area"),
        pk=pk,
    )


def risk_detail(request, pk: int):
    """A risk: its åtgärder, its assessments year by year, and every unit's follow-up."""
    risk = _visible_risk(request, pk)
    plan = risk.control_plan
    organisation = plan.unit.organisation
    scale = scale_for(organisation)
    row = risk_rows(Risk.objects.filter(pk=risk.pk), scale=scale)[0]
    assessments = [
        {
            "assessment": a,
            "level": scale.level(a.score),
        }
        for a in RiskAssessment.objects.filter(risk=risk).order_by("-year")
    ]
    units = reporting_units(risk)
    followups = []
    for period in _periods(organisation, plan.year, [risk]):
        # An open period's entries are drafts: show only the units the user may read.
        shown = [
            u for u in units if visibility.can_read_followup(request.user, u, period, plan.unit)
        ]
        if shown:
            followups.append((period, shown, risk_followups(row, period, shown, user=request.user)))
    crumbs = [*unit_crumbs(plan.unit, plan.year), (str(risk), None)]
    return render(
        request,
        "control/risk_detail.html",
        {
            "risk": risk,
            "row": row,
            "plan": plan,
            "scale": scale,
            "assessments": assessments,
            "units": units,
            "followups": followups,
            "may_plan": can(request.user, Perm.PLAN, risk),
            "reporting_units": [unit for unit in units if can(request.user, Perm.REPORT, unit)],
            "history": _history(risk) if can(request.user, Perm.VIEW, risk) else None,
            "breadcrumbs": crumbs,
        },
    )


def _history(risk: Risk) -> list[tuple[AuditEvent, str]]:
    """The audit events of the risk, its åtgärder and its assessments, with Swedish labels."""
    measures = [str(pk) for pk in risk.measures.values_list("pk", flat=True)]
    assessments = [str(pk) for pk in risk.assessments.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type="control.risk", object_id=str(risk.pk))
        | Q(object_type="control.measure", object_id__in=measures)
        | Q(object_type="control.riskassessment", object_id__in=assessments)
    ).order_by("sequence")
    return [(event, vocabulary.label(event.action)) for event in events]


@login_required
def risk_assess(request, pk: int):
    risk = _visible_risk(request, pk)
    require(request.user, Perm.PLAN, risk)
    plan = risk.control_plan
    scale = scale_for(plan.unit.organisation_id)
    existing = RiskAssessment.objects.filter(risk=risk, year=plan.year).first()
    initial = {}
    if existing:
        initial = {
            "likelihood": existing.likelihood,
            "consequence": existing.consequence,
            "decision": existing.decision or "",
            "motivation": existing.motivation,
        }
    form = RiskAssessmentForm(request.POST or None, initial=initial, scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            assess_risk(
                risk,
                actor=request.user,
                likelihood=form.cleaned_data["likelihood"],
                consequence=form.cleaned_data["consequence"],
                decision=form.cleaned_data["decision"] or None,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Riskbedömningen är sparad."))
            return redirect(risk.get_absolute_url())
    return render(
        request,
        "control/risk_assess.html",
        {
            "risk": risk,
            "plan": plan,
            "scale": scale,
            "form": form,
            "measure_count": risk.measures.count(),
            "breadcrumbs": [
                *unit_crumbs(plan.unit, plan.year),
                (str(risk), risk.get_absolute_url()),
                (_("Bedöm risken %(year)s") % {"year": plan.year}, None),
            ],
        },
    )
