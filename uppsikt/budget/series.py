"""A column of figures (``Series``): a kind of figure, a year and, for follow-up, a period.

Kinds and what a figure of each kind means (amounts in kronor, costs negative):

- ``budget``: the year's budget as decided; no period.
- ``reviderad``: the year's revised budget; no period.
- ``prognos``: an årsprognos, the whole year's expected result, made at the end of
  ``period`` ("2023-06": the forecast in the June periodrapport).
- ``utfall``: the outcome accumulated from the start of the year to the end of ``period``
  ("2023-07": January–July, what the delårsrapport per 31 juli shows); with no period, or
  period December, the whole year.

Series are written in files and URLs as keys: ``budget-2023``, ``prognos-2023-06``.
Column headers read ``Budget 2023``, ``Prognos 2023 (per 2023-06)``; ``parse_label`` reads
both forms (and ``prognos 2023-06``) back.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    REVIDERAD = "reviderad", _("Reviderad budget")
    PROGNOS = "prognos", _("Prognos")
    UTFALL = "utfall", _("Utfall")


KIND_ORDER = ("utfall", "prognos", "reviderad", "budget")
PERIOD_KINDS = (FigureKind.PROGNOS, FigureKind.UTFALL)  # kinds made at a period
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_KEY = re.compile(r"^(budget|reviderad|prognos|utfall)-(\d{4})(?:-(0[1-9]|1[0-2]))?$")
_LABEL = re.compile(
    r"^(?P<kind>budget|reviderad(?: budget)?|prognos|utfall)\s+"
    r"(?:(?P<year>\d{4})(?:\s*\(per\s+(?P<per>\d{4}-\d{2})\))?|(?P<period>\d{4}-\d{2}))$",
    re.IGNORECASE,
)


_EXAMPLE_MARK = re.compile(r"(,\s*exempel|\s*\(exempel\))$", re.IGNORECASE)


class SeriesError(ValueError):
    """A series key or column header that cannot be read; the message is Swedish."""


def valid_period(period: str) -> bool:
    return bool(_PERIOD.match(period))


@dataclass(frozen=True, order=True)
class Series:
    """One column of figures: ``Series(2023, "prognos", "2023-06")``."""

    year: int
    kind: str
    period: str = ""

    def __str__(self) -> str:
        label = f"{FigureKind(self.kind).label} {self.year}"
        if self.period:
            label += " " + gettext("(per %(period)s)") % {"period": self.period}
        return label

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.period or self.year}"

    @property
    def month(self) -> int | None:
        return int(self.period[5:]) if self.period else None

    @property
    def is_full_year(self) -> bool:
        """Whether the figure covers the whole (calendar) year: a budget, a forecast, or an
        outcome without period or per December."""
        if self.kind != FigureKind.UTFALL:
            return True
        return not self.period or self.month == 12

    @property
    def sort_key(self) -> tuple:
        """Newest year first; within a year outcome, forecast, revised budget, budget;
        within a kind the latest period first."""
        month = self.month or 13  # no period: the whole year, after every month
        return (-self.year, KIND_ORDER.index(self.kind), -month)

    @classmethod
    def from_key(cls, key: str) -> "Series":
        """``Series.from_key("prognos-2023-06")``; raises ``SeriesError``."""
        match = _KEY.match(key.strip())
        if not match:
            raise SeriesError(gettext("”%(key)s” är inte en kolumn.") % {"key": key})
        kind, year, month = match.groups()
        return cls.build(kind, int(year), f"{year}-{month}" if month else "")

    @classmethod
    def build(cls, kind: str, year: int, period: str = "") -> "Series":
        """A checked series: budgets have no period, a period lies in the year."""
        if kind not in FigureKind.values:
            raise SeriesError(gettext("”%(kind)s” är inte en typ av belopp.") % {"kind": kind})
        if period and not valid_period(period):
            raise SeriesError(
                gettext("Perioden ”%(period)s” ska skrivas som år-månad, t.ex. 2023-06.")
                % {"period": period}
            )
        if period and kind not in PERIOD_KINDS:
            raise SeriesError(
                gettext("En %(kind)s har ingen period.") % {"kind": FigureKind(kind).label.lower()}
            )
        if period and int(period[:4]) != year:
            raise SeriesError(
                gettext("Perioden %(period)s ligger inte i år %(year)s.")
                % {"period": period, "year": year}
            )
        if kind == FigureKind.PROGNOS and not period:
            raise SeriesError(gettext("En prognos behöver den period den gjordes, t.ex. 2023-06."))
        return cls(year, kind, period)


def parse_label(text: str) -> Series:
    """A column header as a series: ``budget 2023``, ``Reviderad budget 2023``,
    ``prognos 2023-06``, ``Prognos 2023 (per 2023-06)``, ``utfall 2023-07``, ``utfall 2023``;
    a trailing ``(exempel)`` as exports write it is ignored.

    >>> parse_label("Prognos 2022 (per 2022-07)")
    Series(year=2022, kind='prognos', period='2022-07')
    """
    cleaned = _EXAMPLE_MARK.sub("", " ".join(str(text).split()))
    match = _LABEL.match(cleaned)
    if not match:
        raise SeriesError(
            gettext(
                "”%(text)s” är ingen kolumn som kan läsas in; skriv t.ex. budget 2023, "
                "prognos 2023-06 eller utfall 2023-06."
            )
            % {"text": text}
        )
    kind = match["kind"].split()[0].lower()
    period = match["per"] or match["period"] or ""
    year = int(match["year"] or period[:4])
    return Series.build(kind, year, period)
