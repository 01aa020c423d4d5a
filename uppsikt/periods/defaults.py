"""An organisation's periods for a year as a region usually has them, and their names."""

import calendar
import datetime
from dataclasses import dataclass

from .models import ReportingPeriod

# Periodrapporter after February–May and September–November. January is too early for a
# forecast of the year; June–August are the summer and the delårsrapport per 31 juli;
# December is covered by the verksamhetsberättelse and the årsredovisning.
DEFAULT_PERIODRAPPORT_MONTHS = (2, 3, 4, 5, 9, 10, 11)
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
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def default_name(kind: str, ends_on: datetime.date) -> str:
    """The period's name, e.g. "Periodrapport mars 2023" or "Delårsrapport 2023"."""
    label = ReportingPeriod.Kind(kind).label
    if kind == ReportingPeriod.Kind.PERIODRAPPORT:
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
    year: int, months: tuple[int, ...] = DEFAULT_PERIODRAPPORT_MONTHS
) -> list[PeriodSpec]:
    """The year's periods as a region usually has them, in date order.

    >>> [p.name for p in default_periods(2023, months=(3,))]
    ['Periodrapport mars 2023', 'Delårsrapport 2023', 'Verksamhetsberättelse 2023', 'Årsredovisning 2023']
    """
    Kind = ReportingPeriod.Kind
    specs = [PeriodSpec(Kind.PERIODRAPPORT, _month_end(year, m), "") for m in sorted(set(months))]
    specs.append(PeriodSpec(Kind.DELARSRAPPORT, datetime.date(year, 7, 31), ""))
    specs.append(PeriodSpec(Kind.VERKSAMHETSBERATTELSE, datetime.date(year, 12, 31), ""))
    specs.append(PeriodSpec(Kind.ARSREDOVISNING, datetime.date(year, 12, 31), ""))
    specs = [PeriodSpec(s.kind, s.ends_on, default_name(s.kind, s.ends_on)) for s in specs]
    return sorted(specs, key=lambda s: (s.ends_on, list(Kind.values).index(s.kind)))
