"""What an årshjul shows: its milestones and the dates read from the periods, in date order.

Derived entries (a period's end, its last days for reporting and review, a unit's earlier
ones) are built from ``ReportingPeriod`` and ``UnitDeadline`` each time, so they always say
what the periods say; their calendar UIDs are made from the period's id and stay stable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from uppsikt.organisations.models import Organisation
from uppsikt.periods.models import ReportingPeriod, UnitDeadline

from .models import Milestone

PERIOD_KIND = "uppfoljningstillfalle"
DEADLINE_KIND = "sista_dag"


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    kind: str  # a Milestone.Kind value, PERIOD_KIND or DEADLINE_KIND
    kind_label: str
    title: str
    uid: str
    responsible: str = ""
    description: str = ""
    is_example: bool = False
    milestone: Milestone | None = None  # None: read from a period

    @property
    def derived(self) -> bool:
        return self.milestone is None


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "uppsikt"


def _uid(name: str) -> str:
    return f"{name}@{uid_domain()}"


def _milestone_entry(milestone: Milestone) -> Entry:
    return Entry(
        date=milestone.date,
        kind=milestone.kind,
        kind_label=milestone.get_kind_display(),
        title=milestone.title,
        uid=_uid(f"milstolpe-{milestone.uid}"),
        responsible=milestone.responsible.name if milestone.responsible else "",
        description=milestone.description,
        is_example=milestone.is_example,
        milestone=milestone,
    )


def _period_entries(period: ReportingPeriod) -> list[Entry]:
    entries = [
        Entry(
            date=period.ends_on,
            kind=PERIOD_KIND,
            kind_label=_("Uppföljningstillfälle"),
            title=_("%(name)s: perioden slutar") % {"name": period.name},
            uid=_uid(f"period-{period.pk}-slut"),
            description=_("Uppföljningen avser tiden till och med %(date)s.")
            % {"date": period.ends_on_label},
        )
    ]
    return entries + _deadline_entries(period, period, f"period-{period.pk}")


def _deadline_entries(
    holder: ReportingPeriod | UnitDeadline, period: ReportingPeriod, uid: str, unit_name: str = ""
) -> list[Entry]:
    """The last days for reporting and review that ``holder`` (a period or a unit's
    deadline) sets, those it sets."""
    entries = []
    for field, what, label in (
        ("report_by", "rapportering", _("sista dag för rapportering")),
        ("review_by", "granskning", _("sista dag för granskning")),
    ):
        date = getattr(holder, field)
        if date is None:
            continue
        entries.append(
            Entry(
                date=date,
                kind=DEADLINE_KIND,
                kind_label=_("Sista dag"),
                title=f"{period.name}: {label}" + (f", {unit_name}" if unit_name else ""),
                uid=_uid(f"{uid}-{what}"),
                responsible=unit_name,
                description=_("Gäller %(unit)s och enheterna under den.") % {"unit": unit_name}
                if unit_name
                else "",
            )
        )
    return entries


def _unit_deadline_entries(deadline: UnitDeadline) -> list[Entry]:
    return _deadline_entries(
        deadline,
        deadline.period,
        f"period-{deadline.period_id}-enhet-{deadline.unit_id}",
        deadline.unit.name,
    )


def entries_for(organisation: Organisation, year: int | None = None) -> list[Entry]:
    """The årshjul's entries dated in ``year`` (every year: None), in date order."""
    milestones = Milestone.objects.filter(organisation=organisation).select_related("responsible")
    periods = ReportingPeriod.objects.filter(organisation=organisation)
    deadlines = UnitDeadline.objects.filter(period__organisation=organisation).select_related(
        "period", "unit"
    )
    if year is not None:
        milestones = milestones.filter(year=year)
        # A period's deadlines may fall in the next year (the årsredovisning's in January).
        periods = periods.filter(year__in=(year - 1, year))
        deadlines = deadlines.filter(period__year__in=(year - 1, year))
    entries = [_milestone_entry(m) for m in milestones]
    for period in periods:
        entries.extend(_period_entries(period))
    for deadline in deadlines:
        entries.extend(_unit_deadline_entries(deadline))
    if year is not None:
        entries = [e for e in entries if e.date.year == year]
    return sorted(entries, key=lambda e: (e.date, e.derived, e.title))


def by_month(entries: list[Entry]) -> list[tuple[int, list[Entry]]]:
    """Twelve (month, entries) pairs, January first; months without entries included."""
    months: dict[int, list[Entry]] = {month: [] for month in range(1, 13)}
    for entry in entries:
        months[entry.date.month].append(entry)
    return list(months.items())
