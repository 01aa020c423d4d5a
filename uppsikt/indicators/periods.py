"""Reporting periods in one notation: ``2023`` (year), ``2023T2`` (tertial), ``2023-07`` (month).

A period is parsed once into a :class:`Period` and formatted back to exactly the same text,
so the string can be stored as is (``Measurement.period``, ``Assessment.period``) and still
be compared and stepped in Python.
"""

import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

Kind = Literal["year", "tertial", "month"]

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:T(?P<tertial>[1-3])|-(?P<month>0[1-9]|1[0-2]))?$")

_PER_YEAR = {"year": 1, "tertial": 3, "month": 12}


class PeriodError(ValueError):
    """The text is not a period in Uppsikt's notation."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: Kind = "year"
    number: int = 1  # tertial 1–3 or month 1–12; always 1 for a year

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise PeriodError(f"year out of range: {self.year}")
        if self.kind not in _PER_YEAR:
            raise PeriodError(f"unknown period kind: {self.kind}")
        if not 1 <= self.number <= _PER_YEAR[self.kind]:
            raise PeriodError(f"{self.kind} number out of range: {self.number}")

    def __str__(self) -> str:
        return format_period(self)

    @property
    def label(self) -> str:
        """The period in words for a page, e.g. "tertial 2 2023"."""
        if self.kind == "tertial":
            return _("tertial %(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    def _index(self) -> int:
        return self.year * _PER_YEAR[self.kind] + self.number - 1

    @property
    def months(self) -> int:
        """How many months the period covers: 12, 4 or 1."""
        return 12 // _PER_YEAR[self.kind]

    @property
    def ends(self) -> tuple[int, int]:
        """(year, month) of the period's last month: 2023 → (2023, 12), 2023T1 → (2023, 4)."""
        return (self.year, self.number * self.months)

    def shift(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (earlier when negative)."""
        per_year = _PER_YEAR[self.kind]
        year, offset = divmod(self._index() + steps, per_year)
        return Period(year, self.kind, offset + 1)

    def previous(self) -> "Period":
        """The period just before: 2023 → 2022, 2023T1 → 2022T3, 2023-01 → 2022-12."""
        return self.shift(-1)

    def year_earlier(self) -> "Period":
        """The same period one year earlier: 2023T2 → 2022T2 (what "föregående år" means)."""
        return Period(self.year - 1, self.kind, self.number)


def parse_period(text: str) -> Period:
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise PeriodError(f"not a period: {text!r} (use 2023, 2023T2 or 2023-07)")
    year = int(match["year"])
    if match["tertial"]:
        return Period(year, "tertial", int(match["tertial"]))
    if match["month"]:
        return Period(year, "month", int(match["month"]))
    return Period(year)


def format_period(period: Period) -> str:
    if period.kind == "tertial":
        return f"{period.year}T{period.number}"
    if period.kind == "month":
        return f"{period.year}-{period.number:02d}"
    return str(period.year)


def is_period(text: str) -> bool:
    try:
        parse_period(text)
    except PeriodError:
        return False
    return True


def assessment_period_label(text: str) -> str:
    """An assessment's period in words, the one notation pages use for it.

    "2023" → "helår 2023", "2023T2" → "tertial 2 2023", "2023-07" → "till och med juli
    2023": an assessment of a month judges the values known by that month's end (the
    delårsrapport per 31 juli), not the month alone, so the bare "2023-07" of imports
    would mislead here.
    """
    from django.utils.dates import MONTHS

    period = parse_period(text)
    if period.kind == "tertial":
        return period.label
    if period.kind == "month":
        return _("till och med %(month)s %(year)s") % {
            "month": MONTHS[period.number],
            "year": period.year,
        }
    return _("helår %(year)s") % {"year": period.year}
