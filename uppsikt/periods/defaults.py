"""An organisation's periods for a year as its follow-up calendar has them, and their names.

The calendar is the styrmodell's (``governance.models.Calendar``):

- ``manad``: a periodrapport after each of the model's months, the delårsrapport per 31 juli,
  verksamhetsberättelse and årsredovisning (Region Örebro län's, and the default);
- ``tertial``: a tertialrapport per 30 april, the delårsrapport per 31 augusti (the second
  tertial) and the year end;
- ``delar``: the delårsrapport per 31 juli and the year end;
- ``helar``: the year end only (verksamhetsberättelse and årsredovisning).
"""

import calendar as calendars
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from uppsikt.governance.models import Calendar
from uppsikt.governance.words import DEFAULT_PERIOD_MONTHS

from .models import ReportingPeriod

# Periodrapporter after February–May and September–November. January is too early for a
# forecast of the year; June–August are the summer and the delårsrapport per 31 juli;
# December is covered by the verksamhetsberättelse and the årsredovisning.
DEFAULT_PERIODRAPPORT_MONTHS = DEFAULT_PERIOD_MONTHS
MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    ends_on: datetime.date
    name: str


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendars.monthrange(year, month)[1])


def default_name(kind: str, ends_on: datetime.date) -> str:
    """The period's name, e.g. "Periodrapport mars 2023", "Tertialrapport april 2023" or
    "Delårsrapport 2023"."""
    label = ReportingPeriod.Kind(kind).label
    if kind in ReportingPeriod.PERIODIC_KINDS:
        return f"{label} {MONTH_NAMES[ends_on.month - 1]} {ends_on.year}"
    return f"{label} {ends_on.year}"


# Default deadlines: reporting closes on the tenth working day (Monday–Friday; public holidays
# are not counted out) after the period's end, review a week later. An administrator changes
# them per period ("Sista dagar").
REPORT_WORKING_DAYS = 10
REVIEW_DAYS_AFTER_REPORT = 7


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day (Monday–Friday) after ``start``.

    >>> add_working_days(datetime.date(2023, 7, 31), 10)  # a Monday
    datetime.date(2023, 8, 14)
    """
    date = start
    while days > 0:
        date += datetime.timedelta(days=1)
        if date.weekday() < 5:
            days -= 1
    return date


def default_deadlines(ends_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(last day for reporting, last day for review) of a period ending ``ends_on``.

    >>> default_deadlines(datetime.date(2023, 7, 31))
    (datetime.date(2023, 8, 14), datetime.date(2023, 8, 21))
    """
    report_by = add_working_days(ends_on, REPORT_WORKING_DAYS)
    return report_by, report_by + datetime.timedelta(days=REVIEW_DAYS_AFTER_REPORT)


def default_periods(
    year: int,
    months: tuple[int, ...] | None = None,
    *,
    calendar: str = Calendar.MANAD,
) -> list[PeriodSpec]:
    """The year's periods as ``calendar`` has them, in date order; ``months`` are the
    periodrapporter's (``manad`` only; ``DEFAULT_PERIODRAPPORT_MONTHS`` when None).

    >>> [p.name for p in default_periods(2023, months=(3,))]
    ['Periodrapport mars 2023', 'Delårsrapport 2023', 'Verksamhetsberättelse 2023', 'Årsredovisning 2023']
    >>> [p.name for p in default_periods(2023, calendar="tertial")]
    ['Tertialrapport april 2023', 'Delårsrapport 2023', 'Verksamhetsberättelse 2023', 'Årsredovisning 2023']
    """
    Kind = ReportingPeriod.Kind
    specs = []
    if calendar == Calendar.MANAD:
        chosen = DEFAULT_PERIODRAPPORT_MONTHS if months is None else months
        specs = [
            PeriodSpec(Kind.PERIODRAPPORT, _month_end(year, m), "") for m in sorted(set(chosen))
        ]
    if calendar == Calendar.TERTIAL:
        specs.append(PeriodSpec(Kind.TERTIALRAPPORT, datetime.date(year, 4, 30), ""))
        specs.append(PeriodSpec(Kind.DELARSRAPPORT, datetime.date(year, 8, 31), ""))
    elif calendar in (Calendar.MANAD, Calendar.DELAR):
        specs.append(PeriodSpec(Kind.DELARSRAPPORT, datetime.date(year, 7, 31), ""))
    elif calendar != Calendar.HELAR:
        raise ValueError(f"unknown follow-up calendar: {calendar!r}")
    specs.append(PeriodSpec(Kind.VERKSAMHETSBERATTELSE, datetime.date(year, 12, 31), ""))
    specs.append(PeriodSpec(Kind.ARSREDOVISNING, datetime.date(year, 12, 31), ""))
    specs = [PeriodSpec(s.kind, s.ends_on, default_name(s.kind, s.ends_on)) for s in specs]
    return sorted(specs, key=lambda s: (s.ends_on, list(Kind.values).index(s.kind)))


def _month_ranges(months: tuple[int, ...]) -> str:
    """``(2, 3, 4, 5, 9, 10, 11)`` in words: "februari–maj och september–november"."""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    words = [
        MONTH_NAMES[run[0] - 1]
        if len(run) == 1
        else f"{MONTH_NAMES[run[0] - 1]}–{MONTH_NAMES[run[-1] - 1]}"
        for run in runs
    ]
    if len(words) == 1:
        return words[0]
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def describe(calendar: str, months: tuple[int, ...] = DEFAULT_PERIODRAPPORT_MONTHS) -> str:
    """The calendar in a sentence, for the page that creates a year's periods.

    >>> describe("helar")
    'Verksamhetsberättelse och årsredovisning.'
    """
    if calendar == Calendar.MANAD and months:
        return _(
            "Periodrapporter efter %(months)s, delårsrapport per 31 juli, "
            "verksamhetsberättelse och årsredovisning."
        ) % {"months": _month_ranges(months)}
    if calendar == Calendar.TERTIAL:
        return _(
            "Tertialrapport per 30 april, delårsrapport per 31 augusti, "
            "verksamhetsberättelse och årsredovisning."
        )
    if calendar in (Calendar.MANAD, Calendar.DELAR):
        return _("Delårsrapport per 31 juli, verksamhetsberättelse och årsredovisning.")
    return _("Verksamhetsberättelse och årsredovisning.")
