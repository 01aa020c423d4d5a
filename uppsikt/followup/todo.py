"""Att göra from the follow-up: entries and reports to write, returned reports, reports to
review (``uppsikt.tasks.registry``; registered in ``apps.FollowupConfig.ready``).

Only open periods count, and for writing only those whose time has ended (``ends_on``).
Who is asked (``uppsikt.tasks.people``):

- **An entry** (``followup.write:<period>:<unit>:<object type>-<object id>``): its
  responsible person, while it is utkast and the unit's report is not submitted.
- **A unit's report** (``followup.write:<period>:<unit>:report``): the nearest holders of
  the reporting right on the unit; a rapportör only when no entry of the unit has a
  responsible set (a planerare writes every entry, so always). Units with something in
  scope (``work_finders``, each scope provider's bulk answer) or entries in the period;
  until submitted.
- **A returned report** (``followup.returned:<period>:<unit>:<time of return>``): the same
  writers and every responsible of an entry of the unit.
- **A submitted report** (``followup.review:<period>:<unit>:<time of submission>``): those
  with the review right on the unit; due on the unit's ``review_by``.

Writing is due on the unit's ``report_by`` (``periods.deadlines``). Kinds of object another
app lists itself (an åtgärd, by ``control.todo``) are named in ``CLAIMED`` and left out of
the entries here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from uppsikt.accounts.access import Perm
from uppsikt.lib.registry import Registry
from uppsikt.organisations.models import Unit
from uppsikt.periods.deadlines import Deadlines, deadlines_by_unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Assignment, Plan
from uppsikt.tasks import people
from uppsikt.tasks.registry import Task

from .actions.entries import LOCKED_REPORT_STATES
from .models import FollowUp, UnitReport

# Model labels ("control.measure") whose entries another app's provider lists.
CLAIMED: set[str] = set()


def claim(model_label: str) -> None:
    CLAIMED.add(model_label.lower())


def open_periods(user, ended_by: datetime.date | None = None) -> list[ReportingPeriod]:
    """The open periods of the organisations where ``user`` has a role; with ``ended_by``,
    only those whose time ended by then (a period is written once it is over)."""
    organisations = people.organisations_of(user)
    if not organisations:
        return []
    periods = ReportingPeriod.objects.filter(
        organisation_id__in=organisations, status=ReportingPeriod.Status.OPEN
    )
    if ended_by is not None:
        periods = periods.filter(ends_on__lte=ended_by)
    return list(periods.select_related("organisation"))


def form_url(period: ReportingPeriod, unit: Unit, anchor: str = "") -> str:
    url = reverse("followup:unit", args=[period.organisation.code, period.slug, unit.slug])
    return f"{url}#{anchor}" if anchor else url


def deadlines_of(periods: list[ReportingPeriod], units: dict[int, Unit]) -> dict[tuple, Deadlines]:
    """(period id, unit id) → the deadlines that hold, one or two queries per period."""
    result: dict[tuple, Deadlines] = {}
    for period in periods:
        mine = [unit for unit in units.values() if unit.organisation_id == period.organisation_id]
        if mine:
            for unit_id, deadlines in deadlines_by_unit(period, mine).items():
                result[(period.pk, unit_id)] = deadlines
    return result


def _stamp(moment: datetime.datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0


def entries_to_write(user, today: datetime.date) -> Iterator[Task]:
    """The utkast entries ``user`` is responsible for, in open periods that have ended."""
    periods = {period.pk: period for period in open_periods(user, today)}
    if not periods:
        return
    entries = [
        entry
        for entry in FollowUp.objects.filter(
            period_id__in=list(periods), responsible_id=user.pk, state=FollowUp.State.UTKAST
        )
        .select_related("unit", "content_type")
        .prefetch_related("target")
        if f"{entry.content_type.app_label}.{entry.content_type.model}" not in CLAIMED
    ]
    locked = set(
        UnitReport.objects.filter(
            period_id__in=list(periods),
            unit_id__in={entry.unit_id for entry in entries},
            state__in=LOCKED_REPORT_STATES,
        ).values_list("period_id", "unit_id")
    )
    entries = [entry for entry in entries if (entry.period_id, entry.unit_id) not in locked]
    deadlines = deadlines_of(
        list(periods.values()), {entry.unit_id: entry.unit for entry in entries}
    )
    for entry in entries:
        period = periods[entry.period_id]
        target = entry.target
        name = str(target) if target is not None else entry.content_type.name
        yield Task(
            key=f"followup.write:{period.pk}:{entry.unit_id}:{entry.content_type.model}-"
            f"{entry.object_id}",
            kind="write",
            title=name if len(name) <= 120 else name[:119] + "…",
            url=form_url(period, entry.unit, f"{entry.content_type.model}-{entry.object_id}"),
            due=deadlines[(period.pk, entry.unit_id)].report_by,
            unit_name=entry.unit.name,
            detail=period.name,
            organisation_id=period.organisation_id,
        )


Pairs = set[tuple[int, int]]
# Which units have something in scope in which periods, in bulk: ``(periods, unit ids) ->
# {(period id, unit id)}``, one per scope provider that can say it in a query or two
# (``scope.register`` answers per unit). Apps with scope providers register theirs.
WorkFinder = Callable[[list[ReportingPeriod], set[int]], Pairs]
work_finders: Registry[WorkFinder] = Registry("followup.work")


def plan_work(periods: list[ReportingPeriod], unit_ids: set[int]) -> Pairs:
    """The plan's and the given uppdrag's part of ``providers``: a decided plan or an
    uppdrag given by one, for the period's year; not in periodrapporter or tertialrapporter."""
    periods = [p for p in periods if not p.is_periodic]
    if not periods:
        return set()
    by_year: dict[int, set[int]] = defaultdict(set)
    plans = Plan.objects.published().filter(year__in={period.year for period in periods})
    for unit_id, year in plans.filter(unit_id__in=unit_ids).values_list("unit_id", "year"):
        by_year[year].add(unit_id)
    given = Assignment.objects.filter(plan__in=plans, responsible_id__in=unit_ids)
    for unit_id, year in given.values_list("responsible_id", "plan__year"):
        by_year[year].add(unit_id)
    return {(period.pk, unit_id) for period in periods for unit_id in by_year.get(period.year, ())}


def units_with_work(periods: list[ReportingPeriod], unit_ids: set[int]) -> Pairs:
    """(period id, unit id) pairs where the unit has something to follow up, or entries."""
    found: Pairs = set()
    for finder in work_finders:
        found |= finder(periods, unit_ids)
    entries = FollowUp.objects.filter(period__in=periods, unit_id__in=unit_ids)
    found.update(entries.values_list("period_id", "unit_id").distinct())
    return {(period_id, unit_id) for period_id, unit_id in found if unit_id in unit_ids}


def reports_to_write(user, today: datetime.date) -> Iterator[Task]:
    """The reports of the units ``user`` writes, not yet submitted nor returned, in open
    periods that have ended."""
    periods = {period.pk: period for period in open_periods(user, today)}
    mine = people.writing_units(user)
    if not periods or not mine:
        return
    pairs = units_with_work(list(periods.values()), mine)
    if not pairs:
        return
    states = {
        (period_id, unit_id): state
        for period_id, unit_id, state in UnitReport.objects.filter(
            period_id__in=list(periods), unit_id__in=mine
        ).values_list("period_id", "unit_id", "state")
    }
    assigned = set(
        FollowUp.objects.filter(
            period_id__in=list(periods), unit_id__in=mine, responsible__isnull=False
        )
        .values_list("period_id", "unit_id")
        .distinct()
    )
    planning = people.held(user, Perm.PLAN)
    pairs = {
        pair
        for pair in pairs
        if states.get(pair, UnitReport.State.UTKAST) == UnitReport.State.UTKAST
        and (pair[1] in planning or pair not in assigned)
    }
    units = Unit.objects.in_bulk({unit_id for _period, unit_id in pairs})
    deadlines = deadlines_of(list(periods.values()), units)
    for period_id, unit_id in sorted(pairs):
        period, unit = periods[period_id], units[unit_id]
        yield Task(
            key=f"followup.write:{period_id}:{unit_id}:report",
            kind="write",
            title=_("Enhetens uppföljning: %(period)s") % {"period": period.name},
            url=form_url(period, unit),
            due=deadlines[(period_id, unit_id)].report_by,
            unit_name=unit.name,
            detail=_("Skriv uppföljningen och lämna in rapporten."),
            organisation_id=period.organisation_id,
        )


def reports_returned(user, today: datetime.date) -> Iterator[Task]:
    """Returned reports of the units ``user`` writes or has entries in."""
    periods = {period.pk: period for period in open_periods(user)}
    if not periods:
        return
    mine = people.writing_units(user)
    responsible_in = set(
        FollowUp.objects.filter(period_id__in=list(periods), responsible_id=user.pk)
        .values_list("period_id", "unit_id")
        .distinct()
    )
    reports = [
        report
        for report in UnitReport.objects.filter(
            period_id__in=list(periods),
            state=UnitReport.State.ATERFORD,
            unit_id__in=mine | {unit_id for _period, unit_id in responsible_in},
        ).select_related("unit")
        if report.unit_id in mine or (report.period_id, report.unit_id) in responsible_in
    ]
    deadlines = deadlines_of(
        list(periods.values()), {report.unit_id: report.unit for report in reports}
    )
    for report in reports:
        period = periods[report.period_id]
        comment = report.review_comment.strip()
        yield Task(
            key=f"followup.returned:{period.pk}:{report.unit_id}:{_stamp(report.reviewed_at)}",
            kind="returned",
            title=_("Återförd rapport: %(period)s") % {"period": period.name},
            url=form_url(period, report.unit),
            due=deadlines[(period.pk, report.unit_id)].report_by,
            unit_name=report.unit.name,
            detail=comment if len(comment) <= 200 else comment[:199] + "…",
            organisation_id=period.organisation_id,
        )


def reports_to_review(user, today: datetime.date) -> Iterator[Task]:
    """Submitted reports of the units where ``user`` reviews, in open periods."""
    periods = {period.pk: period for period in open_periods(user)}
    reviewing = people.held(user, Perm.REVIEW)
    if not periods or not reviewing:
        return
    reports = list(
        UnitReport.objects.filter(
            period_id__in=list(periods),
            state=UnitReport.State.INLAMNAD,
            unit_id__in=reviewing,
        ).select_related("unit", "submitted_by")
    )
    deadlines = deadlines_of(
        list(periods.values()), {report.unit_id: report.unit for report in reports}
    )
    for report in reports:
        period = periods[report.period_id]
        submitter = report.submitted_by
        by = (submitter.get_full_name() or submitter.username) if submitter else ""
        yield Task(
            key=f"followup.review:{period.pk}:{report.unit_id}:{_stamp(report.submitted_at)}",
            kind="review",
            title=_("Granska rapporten: %(period)s") % {"period": period.name},
            url=form_url(period, report.unit),
            due=deadlines[(period.pk, report.unit_id)].review_by,
            unit_name=report.unit.name,
            detail=_("Inlämnad av %(name)s.") % {"name": by} if by else "",
            organisation_id=period.organisation_id,
        )
