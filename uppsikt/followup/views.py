"""Pages: an organisation's periods, the dashboard per period, a unit's follow-up form."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, can, units_with
from uppsikt.followup.actions.entries import LOCKED_REPORT_STATES
from uppsikt.followup.queries import details_for, entries_for, progress_of, report_for, statuses_for
from uppsikt.governance.words import styrmodell_for
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods import actions as period_actions
from uppsikt.periods.defaults import describe
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import can_on_organisation, period_order, require_organisation_admin

from .actions import reports as report_actions
from .forms import SummaryForm, build_rows, save_rows, summary_form
from .models import FollowUp
from .overview import dashboard_context
from .scope import in_scope, units_with_scope


def _organisation(request, code: str) -> Organisation:
    """The organisation, if the visitor may read some of its units' follow-up."""
    organisation = get_object_or_404(Organisation, code=code)
    allowed = units_with(request.user, Perm.VIEW)
    if not allowed or not any(
        unit_id in allowed for unit_id in organisation.units.values_list("pk", flat=True)
    ):
        raise Http404
    return organisation


def _period(request, code: str, slug: str) -> ReportingPeriod:
    organisation = _organisation(request, code)
    return get_object_or_404(
        ReportingPeriod.objects.select_related("organisation"), organisation=organisation, slug=slug
    )


def _unit(request, period: ReportingPeriod, unit_slug: str) -> Unit:
    unit = get_object_or_404(
        Unit.objects.select_related("organisation"),
        organisation_id=period.organisation_id,
        slug=unit_slug,
    )
    if not can(request.user, Perm.VIEW, unit):
        raise Http404
    return unit


def _crumbs(organisation, period=None, unit=None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        (_("Uppföljning"), reverse("followup:index")),
        (organisation.name, reverse("followup:periods", args=[organisation.code])),
    ]
    if period is not None:
        crumbs.append(
            (period.name, reverse("followup:dashboard", args=[organisation.code, period.slug]))
        )
    if unit is not None:
        crumbs.append((unit.name, None))
    return [*crumbs[:-1], (crumbs[-1][0], None)]


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


@login_required
def index(request):
    allowed = units_with(request.user, Perm.VIEW)
    organisations = [
        organisation
        for organisation in Organisation.objects.filter(reporting_periods__isnull=False)
        .distinct()
        .prefetch_related("units")
        if any(unit.pk in allowed for unit in organisation.units.all())
    ]
    return render(
        request,
        "followup/index.html",
        {
            "organisations": organisations,
            "to_start": _without_periods(request.user),
            "breadcrumbs": [(_("Uppföljning"), None)],
        },
    )


def _without_periods(user) -> list[Organisation]:
    """Organisations set up (with units) but without periods that ``user`` administers as a
    whole: a new organisation's administrator finds where to create them here."""
    administered = units_with(user, Perm.ADMIN)
    if not administered:
        return []
    candidates = (
        Organisation.objects.filter(units__isnull=False, reporting_periods__isnull=True)
        .distinct()
        .order_by("name")
        .prefetch_related("units")
    )
    return [
        organisation
        for organisation in candidates
        if all(
            unit.pk in administered for unit in organisation.units.all() if unit.parent_id is None
        )
    ]


@login_required
def period_list(request, code: str):
    organisation = _organisation(request, code)
    is_admin = can_on_organisation(request.user, Perm.ADMIN, organisation.pk)
    years: dict[int, list[ReportingPeriod]] = {}
    used = set(
        FollowUp.objects.filter(period__organisation=organisation)
        .values_list("period_id", flat=True)
        .distinct()
    )
    for period in sorted(
        ReportingPeriod.objects.filter(organisation=organisation), key=period_order
    ):
        period.has_entries = period.pk in used  # type: ignore[attr-defined]  # for the page
        years.setdefault(period.year, []).append(period)
    this_year = timezone.localdate().year
    return render(
        request,
        "followup/period_list.html",
        {
            "organisation": organisation,
            "years": sorted(years.items(), reverse=True),
            "is_admin": is_admin,
            "kinds": ReportingPeriod.Kind.choices,
            "calendar_text": _calendar_text(organisation.pk),
            "next_year": max(years, default=this_year - 1) + 1 if years else this_year,
            "breadcrumbs": _crumbs(organisation),
            "form_errors": request.session.pop("period_errors", None),
            "form_values": request.session.pop("period_values", None),
        },
    )


def _calendar_text(organisation_id: int) -> str:
    styrmodell = styrmodell_for(organisation_id)
    return describe(styrmodell.calendar, styrmodell.period_months)


@login_required
@require_POST
def period_create(request, code: str):
    organisation = _organisation(request, code)
    # Who may, before what was sent: a refusal is a 403 page whatever the form holds.
    require_organisation_admin(request.user, organisation)
    what = request.POST.get("what")
    try:
        if what == "defaults":
            year = _year(request.POST.get("year", ""))
            created = period_actions.create_default_periods(organisation, year, actor=request.user)
            messages.success(
                request,
                _("%(count)s uppföljningstillfällen skapades för %(year)s.")
                % {"count": len(created), "year": year},
            )
        else:
            ends_on = _date(request.POST.get("ends_on", ""))
            period = period_actions.create_period(
                organisation,
                actor=request.user,
                kind=request.POST.get("kind", ""),
                ends_on=ends_on,
                name=request.POST.get("name", ""),
            )
            messages.success(request, _("%(name)s är skapat.") % {"name": period.name})
    except ValidationError as error:  # a refusal (PermissionDenied) is a 403 page
        request.session["period_errors"] = _errors(error)
        request.session["period_values"] = {
            k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"
        }
    return redirect("followup:periods", organisation.code)


def _year(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as error:
        raise ValidationError({"year": _("Ange året med fyra siffror, t.ex. 2024.")}) from error


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValidationError(
            {"ends_on": _("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2024-07-31.")}
        ) from error


@login_required
@require_POST
def period_change(request, code: str, slug: str, action: str):
    period = _period(request, code, slug)
    try:
        if action == "stang":
            period_actions.close_period(period, actor=request.user)
            messages.success(request, _("%(name)s är stängt.") % {"name": period.name})
        elif action == "oppna":
            period_actions.reopen_period(
                period, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("%(name)s är öppet igen.") % {"name": period.name})
        elif action == "ta-bort":
            period_actions.delete_period(period, actor=request.user)
            messages.success(request, _("%(name)s är borttaget.") % {"name": period.name})
        else:
            raise Http404
    except ValidationError as error:  # a refusal (PermissionDenied) is a 403 page
        request.session["period_errors"] = _errors(error)
    return redirect("followup:periods", code)


@login_required
def dashboard(request, code: str, slug: str):
    period = _period(request, code, slug)
    rows = []
    totals = {"total": 0, "started": 0, "done": 0, "reviewed": 0}
    reports = {r.unit_id: r for r in period.unit_reports.all()}
    scoped = [
        (unit, depth, items)
        for unit, depth, items in units_with_scope(period)
        if can(request.user, Perm.VIEW, unit)
    ]
    entries = entries_for(period, [unit for unit, _depth, _items in scoped])
    for unit, depth, items in scoped:
        progress = progress_of(items, entries)
        for key in totals:
            totals[key] += getattr(progress, key)
        report = reports.get(unit.pk)
        rows.append({"unit": unit, "depth": depth, "progress": progress, "report": report})
    return render(
        request,
        "followup/dashboard.html",
        {
            "period": period,
            "organisation": period.organisation,
            "rows": rows,
            "totals": totals,
            "breadcrumbs": _crumbs(period.organisation, period),
            **dashboard_context(request.user, period, rows),
        },
    )


@login_required
def unit_followup(request, code: str, slug: str, unit_slug: str):
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    items = in_scope(unit, period)
    report = report_for(unit, period)
    entries = entries_for(period, [unit])
    prefetch_related_objects(list(entries.values()), "attachments__uploaded_by")
    statuses = statuses_for(items, entries, period)
    details = details_for(items, period)
    data = request.POST if request.method == "POST" else None
    rows = build_rows(
        items,
        entries,
        statuses,
        details,
        user=request.user,
        period=period,
        report=report,
        data=data,
    )
    summary, may_write_summary = _summary_form(request.user, unit, period, report, data)
    if data is not None:
        if not any(row.writable for row in rows) and not may_write_summary:
            raise PermissionDenied
        if save_rows(
            rows,
            summary if may_write_summary else None,
            unit=unit,
            period=period,
            actor=request.user,
        ):
            messages.success(request, _("Uppföljningen är sparad."))
            return redirect(request.path)
    groups = _grouped(rows)
    progress = progress_of(items, entries)
    return render(
        request,
        "followup/unit_followup.html",
        {
            "period": period,
            "unit": unit,
            "report": report,
            "groups": groups,
            "rows": rows,
            "summary": summary,
            "progress": progress,
            "may_edit": any(row.writable for row in rows) or may_write_summary,
            "may_submit": can(request.user, Perm.REPORT, unit) and period.is_open,
            "may_review": can(request.user, Perm.REVIEW, unit) and period.is_open,
            "entries": [row for row in rows if row.entry is not None],
            "has_errors": any(row.form.errors for row in rows) or bool(summary.errors),
            "breadcrumbs": _crumbs(period.organisation, period, unit),
        },
    )


def _summary_form(user, unit, period, report, data) -> tuple[SummaryForm, bool]:
    """The form for the report's summary, and whether ``user`` may write it (else it is
    shown disabled)."""
    may_write = (
        period.is_open and can(user, Perm.REPORT, unit) and report.state not in LOCKED_REPORT_STATES
    )
    form = summary_form(data, report)
    form.fields["summary"].disabled = not may_write
    return form, may_write


def _grouped(rows: list) -> list[tuple[str, list]]:
    """Consecutive rows of the same group together, in order."""
    groups: list[tuple[str, list]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.item.group:
            groups.append((row.item.group, []))
        groups[-1][1].append(row)
    return groups


ACTIONS = {
    "lamna-in": report_actions.submit_report,
    "aterta": report_actions.withdraw_report,
}
DONE_MESSAGES = {
    "lamna-in": gettext_lazy("Rapporten är inlämnad för granskning."),
    "aterta": gettext_lazy("Rapporten är återtagen."),
    "godkann": gettext_lazy("Rapporten är godkänd."),
    "aterfor": gettext_lazy("Rapporten är återförd till enheten."),
}


@login_required
@require_POST
def report_action(request, code: str, slug: str, unit_slug: str, action: str):
    period = _period(request, code, slug)
    unit = _unit(request, period, unit_slug)
    try:
        if action == "aterfor":
            reopen = [int(pk) for pk in request.POST.getlist("reopen") if pk.isdigit()]
            report_actions.return_report(
                unit,
                period,
                actor=request.user,
                comment=request.POST.get("comment", ""),
                reopen=reopen,
            )
        elif action == "godkann":
            report_actions.approve_report(
                unit, period, actor=request.user, note=request.POST.get("note", "")
            )
        elif action in ACTIONS:
            ACTIONS[action](unit, period, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:  # a refusal (PermissionDenied) is a 403 page
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("followup:unit", code, slug, unit_slug)
