"""The period overview's coordinator tools: responsible persons and lateness on the
dashboard, "Påminn" (per unit, or every late unit) and the overview as XLSX (``overview``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from uppsikt.accounts.access import Perm, can
from uppsikt.organisations.models import Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.tasks.registry import today
from uppsikt.tasks.reminders import Outcome

from . import overview
from .scope import units_with_scope
from .views import _period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_units(user, period: ReportingPeriod) -> list[Unit]:
    """The units on the dashboard: those with something to follow up that ``user`` may read."""
    return [unit for unit, _depth, _items in units_with_scope(period) if can(user, Perm.VIEW, unit)]


@login_required
@require_POST
def remind(request, code: str, slug: str):
    period = _period(request, code, slug)
    on = today()
    lines = overview.lines_for(period, visible_units(request.user, period), on)
    if request.POST.get("late"):
        chosen = [line for line in lines.values() if line.late]
        if not chosen:
            messages.info(request, _("Ingen enhet är försenad."))
    else:
        chosen = [line for line in lines.values() if line.unit.slug == request.POST.get("unit")]
        if not chosen:
            messages.error(request, _("Välj en enhet att påminna."))
    try:
        outcome = overview.remind(period, chosen, actor=request.user, on=on)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("followup:dashboard", code, slug)
    _tell(request, outcome, chosen)
    return redirect("followup:dashboard", code, slug)


def _tell(request, outcome: Outcome, chosen: list) -> None:
    if outcome.sent:
        names = ", ".join(email for email, _subject, _count in outcome.sent)
        messages.success(
            request,
            ngettext(
                "En påminnelse skickades till %(count)s person: %(names)s.",
                "En påminnelse skickades till %(count)s personer: %(names)s.",
                len(outcome.sent),
            )
            % {"count": len(outcome.sent), "names": names},
        )
    elif chosen:
        messages.info(
            request, _("Ingen påminnelse skickades: de ansvariga har redan påmints i dag.")
        )
    if outcome.without_email:
        messages.warning(
            request,
            _("Utan e-postadress eller ansvarig, fick ingen påminnelse: %(names)s.")
            % {"names": ", ".join(outcome.without_email)},
        )
    if outcome.failed:
        messages.error(
            request,
            _("Kunde inte skicka till %(names)s. Försök igen senare.")
            % {"names": ", ".join(email for email, _error in outcome.failed)},
        )


@login_required
def download(request, code: str, slug: str):
    period = _period(request, code, slug)
    on = today()
    units = visible_units(request.user, period)
    lines = overview.lines_for(period, units, on)
    content = overview.workbook(period, [lines[unit.pk] for unit in units], on)
    response = HttpResponse(content, content_type=XLSX)
    name = f"oversikt-{period.organisation.code}-{period.slug}-{on.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
