"""The follow-up coordinator's additions to a period's overview: who writes each unit's
report, whether the unit is late, a manual reminder ("Påminn") and the overview as XLSX.

Who is responsible for a unit's report: the persons named responsible (``FollowUp.responsible``)
on the unit's entries in the period; when no entry names anyone, the persons holding the
rapportör or planerare role on the unit itself (not those above it, who would otherwise be
responsible for every unit below them).

A unit is late when its deadline for reporting (``periods.deadlines``) has passed and its
report is neither submitted nor approved (a returned report is the unit's to finish again).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from uppsikt.accounts.access import Perm
from uppsikt.accounts.models import Role, RoleAssignment
from uppsikt.accounts.names import person_name
from uppsikt.lib.workbook import set_widths, style_header, to_bytes, write_title
from uppsikt.organisations.models import Unit
from uppsikt.periods.deadlines import deadlines_by_unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.periods.rules import can_on_organisation
from uppsikt.tasks.registry import Task, today
from uppsikt.tasks.reminders import Outcome, send_manual

from .models import FollowUp, UnitReport

SUBMITTED = (UnitReport.State.INLAMNAD, UnitReport.State.GODKAND)
UNIT_ROLES = (Role.RAPPORTOR, Role.PLANERARE)


@dataclass
class Line:
    """One unit's line of the overview."""

    unit: Unit
    state: str  # UnitReport.State
    deadline: datetime.date | None
    late: bool
    responsible: list = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(UnitReport.State(self.state).label)

    @property
    def submitted(self) -> bool:
        return self.state in SUBMITTED


def responsible_for(period: ReportingPeriod, units: list[Unit]) -> dict[int, list]:
    """Each unit's responsible persons (see the module's doc), by unit id, in name order."""
    found: dict[int, dict[int, object]] = defaultdict(dict)
    named = (
        FollowUp.objects.filter(period=period, unit__in=units, responsible__is_active=True)
        .select_related("responsible")
        .only("unit_id", "responsible")
    )
    for entry in named:
        assert entry.responsible is not None
        found[entry.unit_id][entry.responsible.pk] = entry.responsible
    missing = [unit.pk for unit in units if unit.pk not in found]
    if missing:
        holders = RoleAssignment.objects.filter(
            unit_id__in=missing, role__in=UNIT_ROLES, user__is_active=True
        ).select_related("user")
        for assignment in holders:
            found[assignment.unit_id][assignment.user_id] = assignment.user
    return {
        unit.pk: sorted(found.get(unit.pk, {}).values(), key=lambda u: person_name(u).lower())
        for unit in units
    }


def lines_for(period: ReportingPeriod, units: list[Unit], on: datetime.date) -> dict[int, Line]:
    """The overview's line for each of ``units`` on day ``on``, by unit id."""
    states = dict(
        UnitReport.objects.filter(period=period, unit__in=units).values_list("unit_id", "state")
    )
    deadlines = deadlines_by_unit(period, units)
    people = responsible_for(period, units)
    lines = {}
    for unit in units:
        state = states.get(unit.pk, UnitReport.State.UTKAST)
        deadline = deadlines[unit.pk].report_by
        late = deadline is not None and on > deadline and state not in SUBMITTED
        lines[unit.pk] = Line(unit, state, deadline, late, people[unit.pk])
    return lines


def dashboard_context(user, period: ReportingPeriod, rows: list[dict]) -> dict:
    """What the dashboard shows beside each unit's progress (adds ``row["line"]``)."""
    on = today()
    lines = lines_for(period, [row["unit"] for row in rows], on)
    for row in rows:
        row["line"] = lines[row["unit"].pk]
    return {
        "may_remind": may_remind(user, period),
        "late_count": sum(1 for line in lines.values() if line.late),
    }


def may_remind(user, period: ReportingPeriod) -> bool:
    """Planerare and administrators of the whole organisation may remind its units."""
    return can_on_organisation(user, Perm.PLAN, period.organisation_id)


def report_task(period: ReportingPeriod, line: Line) -> Task:
    """What a manual reminder is about: the unit's follow-up in the period."""
    unit = line.unit
    return Task(
        key=f"followup.report:{period.pk}:{unit.pk}",
        kind="write",
        title=_("Uppföljning i %(period)s") % {"period": period.name},
        url=reverse("followup:unit", args=[period.organisation.code, period.slug, unit.slug]),
        due=line.deadline,
        unit_name=unit.name,
        organisation_id=period.organisation_id,
    )


def remind(period: ReportingPeriod, lines: Iterable[Line], *, actor, on: datetime.date) -> Outcome:
    """Send a manual reminder now to the responsible persons of each unit in ``lines``.

    Refused (nothing sent) for anyone but the organisation's planerare and administrators,
    for a unit that has submitted its report, and for a unit with nobody responsible."""
    if not may_remind(actor, period):
        raise PermissionDenied(
            _("Bara organisationens planerare och administratörer kan skicka påminnelser.")
        )
    lines = list(lines)
    for line in lines:
        if line.submitted:
            raise ValidationError(
                _("%(unit)s har redan lämnat in sin rapport.") % {"unit": line.unit.name}
            )
    outcome = Outcome()
    for line in lines:
        if not line.responsible:
            outcome.without_email.append(line.unit.name)
            continue
        sent = send_manual(
            line.responsible, report_task(period, line), actor=actor, on=on, unit=line.unit
        )
        outcome.sent += sent.sent
        outcome.without_email += sent.without_email
        outcome.failed += sent.failed
    return outcome


def workbook(period: ReportingPeriod, lines: list[Line], on: datetime.date) -> bytes:
    """The overview as XLSX: one row per unit and responsible person."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Översikt")
    write_title(
        sheet,
        _("%(period)s: enheternas läge %(date)s")
        % {"period": period.name, "date": date_format(on, "j F Y")},
    )
    headers = [
        _("Enhet"),
        _("Rapportens läge"),
        _("Sista dag"),
        _("Försenad"),
        _("Ansvarig"),
        _("E-post"),
    ]
    sheet.append([])
    sheet.append(headers)
    style_header(sheet[3])
    for line in lines:
        people = line.responsible or [None]
        for person in people:
            sheet.append(
                [
                    line.unit.name,
                    line.state_label,
                    line.deadline,
                    _("Ja") if line.late else _("Nej"),
                    person_name(person),
                    getattr(person, "email", "") or "",
                ]
            )
    for row in sheet.iter_rows(min_row=4, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    set_widths(sheet, [36, 18, 12, 10, 28, 32])
    sheet.freeze_panes = "A4"
    return to_bytes(book)
