"""Prognos mot målet: whether an indicator's target looks like being met at the year's end.

Plain functions over plain data (a ``Series``), tested without a database.
``forecast_target(rule, series, organisation, period)`` forecasts the total of
``organisation`` at the end of ``period``'s year from what is known when ``period`` ends,
and judges that value with the same rule logic as an assessment (``assess_indicator`` on a
copy of the series holding the forecast). It is a calculation, never an assessment: it is
not stored, it does not change a proposal or a decision, and pages show it in words
("Målet ser ut att nås"), never with the assessment scale's colours or symbols.

It is not the *helårsprognos* a person enters by hand in the follow-up (``Forecast``,
``assessment._judge_forecast``): that one is part of the assessment; this one is computed.

Methods, chosen by the series (``project``):

- **Samma del av föregående år** (``SAME_PART``): when the organisation has a value for a
  part of the year (a tertial or month of the forecast year, ending when ``period`` ends or
  earlier), the latest such value P is carried to the year's end by last year's change over
  the rest of the year: forecast = value(P) + (value(last year) − value(P one year
  earlier)). The same rule serves a level (a share now, 72 % in tertial 2) and an amount so
  far (the result per juli): for an amount it is "this year so far plus what last year
  added after the same point". It needs last year's annual value and last year's value of
  the same part; without them the trend is tried.
- **Trend** (``TREND``): a least-squares line through the organisation's annual values of
  the ``TREND_YEARS`` years before the forecast year (exact fractions), read at the
  forecast year. It needs at least ``MIN_POINTS`` of those years.

The value is rounded (a tie upwards) to the precision pages show (whole numbers for antal and
kronor, one decimal otherwise: ``formatting.WHOLE_UNITS``), so the value shown is the value
judged, and kept within the unit's range (a share 0–100, a count or days not below zero).

No forecast is made when the year's own value is already measured (the assessment judges
it), for a qualitative or report-only rule (``None``: nothing to forecast towards), and
never "ser ut att nås" without a forecast value: too few values give "kan inte bedömas".
A reference rule forecasts the reference organisation too (or uses its measured value).
Only the total is forecast, never kvinnor and män.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from django.utils.translation import gettext as _

from .assessment import EJ_UPPFYLLT, UPPFYLLT, Series, Value, assess_indicator
from .formatting import WHOLE_UNITS
from .periods import Period, parse_period
from .rules import QualitativeRule, ReferenceRule, ReportOnlyRule, TargetRule

TREND_YEARS = 5  # the trend is drawn through the annual values of this many years before
MIN_POINTS = 3  # … of which at least this many must be measured

TREND = "trend"
SAME_PART = "samma_del"

# What the pages' note on the methods names (templates/indicators/forecast_methods.html).
METHOD_CONTEXT = {"trend_years": TREND_YEARS, "min_points": MIN_POINTS}

NAS = "nas"
NAS_INTE = "nas_inte"
OKAND = "kan_inte_bedomas"

_SHARES = ("procent", "andel")
_NOT_NEGATIVE = ("antal", "dagar")


@dataclass(frozen=True)
class Projection:
    """A forecast value of one organisation at the end of a year, and what it rests on."""

    value: Decimal
    method: str  # TREND or SAME_PART
    basis: str  # in words: "Trend över 2019–2023 (5 årsvärden)"
    periods: tuple[str, ...]  # the periods of the values used
    preliminary: bool = False  # a value used is preliminary
    limited: bool = False  # the raw value lay outside the unit's range


@dataclass(frozen=True)
class TargetForecast:
    """The forecast of one indicator toward its target at the end of ``year``."""

    year: str
    verdict: str  # NAS, NAS_INTE or OKAND
    reason: str
    projection: Projection | None = None
    reference: Projection | None = None  # the reference organisation's, for a reference rule
    known: bool = False  # the year's value is measured: no forecast is needed

    @property
    def verdict_label(self) -> str:
        if self.known:
            return _("Ingen prognos behövs")
        return {
            NAS: _("Målet ser ut att nås"),
            NAS_INTE: _("Målet ser inte ut att nås"),
        }.get(self.verdict, _("Kan inte bedömas"))

    @property
    def method_label(self) -> str:
        if self.projection is None:
            return ""
        if self.projection.method == TREND:
            return _("Trend över serien")
        return _("Samma del av föregående år")

    @property
    def preliminary(self) -> bool:
        return any(p is not None and p.preliminary for p in (self.projection, self.reference))


def trend_at(points: list[tuple[int, Decimal]], x: int) -> Fraction:
    """The least-squares line through ``points`` (year, value), read at ``x``; exact.

    Needs at least two different years."""
    n = len(points)
    mean_x = Fraction(sum(year for year, _v in points), n)
    mean_y = sum((Fraction(value) for _y, value in points), Fraction(0)) / n
    sxx = sum(((year - mean_x) * (year - mean_x) for year, _v in points), Fraction(0))
    sxy = sum(((year - mean_x) * (Fraction(value) - mean_y) for year, value in points), Fraction(0))
    if sxx == 0:
        raise ValueError("a trend needs at least two different years")
    return mean_y + sxy / sxx * (x - mean_x)


def rounded(value: Fraction | Decimal, unit: str) -> Decimal:
    """``value`` rounded to the places pages show for ``unit``, a tie to the larger value.

    Ties go up (−0,05 → 0,0, 0,05 → 0,1), not away from zero, so that moving every value of
    a series by a constant moves the forecast by exactly that constant."""
    places = 0 if unit in WHOLE_UNITS else 1
    whole = floor(Fraction(value) * 10**places + Fraction(1, 2))
    return Decimal(whole).scaleb(-places)


def _within_unit(value: Decimal, unit: str) -> Decimal:
    if unit in _SHARES:
        return min(max(value, Decimal(0)), Decimal(100))
    if unit in _NOT_NEGATIVE:
        return max(value, Decimal(0))
    return value


def _finish(raw, unit: str, method: str, basis: str, used: list[tuple[str, Value]]) -> Projection:
    value = rounded(raw, unit)
    kept = _within_unit(value, unit)
    return Projection(
        kept,
        method,
        basis,
        tuple(period for period, _v in used),
        any(v.preliminary for _p, v in used),
        kept != value,
    )


def _same_part(series: Series, org: str, period: Period) -> Projection | None:
    """Samma del av föregående år, or None when it does not apply or lacks values."""
    part = series.latest(org, period)
    if part is None or part.kind == "year" or part.year != period.year:
        return None
    last_year = Period(period.year - 1)
    earlier = part.year_earlier()
    now, then, whole = (series.get(org, p) for p in (part, earlier, last_year))
    if now is None or then is None or whole is None:
        return None
    basis = _("Samma del av %(year)s: %(part)s till helår %(year)s") % {
        "year": last_year,
        "part": earlier,
    }
    used = [(str(part), now), (str(earlier), then), (str(last_year), whole)]
    raw = now.value + (whole.value - then.value)
    return _finish(raw, series.unit, SAME_PART, basis, used)


def _trend(series: Series, org: str, year: int) -> Projection | str:
    """The trend over the annual values before ``year``, or why there is none."""
    first = year - TREND_YEARS
    used = [
        (str(y), value)
        for y in range(first, year)
        if (value := series.get(org, str(y))) is not None
    ]
    if len(used) < MIN_POINTS:
        return _(
            "För få årsvärden för en trend: minst %(needed)s av åren %(first)s–%(last)s "
            "behövs, %(found)s finns."
        ) % {"needed": MIN_POINTS, "first": first, "last": year - 1, "found": len(used)}
    raw = trend_at([(int(p), v.value) for p, v in used], year)
    basis = _("Trend över %(first)s–%(last)s (%(count)s årsvärden)") % {
        "first": used[0][0],
        "last": used[-1][0],
        "count": len(used),
    }
    return _finish(raw, series.unit, TREND, basis, used)


def project(series: Series, organisation: str, period: Period) -> Projection | str:
    """``organisation``'s total at the end of ``period``'s year, from what is known when
    ``period`` ends; or, when it cannot be forecast, why (a Swedish sentence)."""
    found = _same_part(series, organisation, period)
    return found if found is not None else _trend(series, organisation, period.year)


def _known(series: Series, org: str, year: Period, period: Period) -> Value | None:
    """The year's own value, when it is measured by the time ``period`` ends."""
    return series.get(org, year) if year.ends <= period.ends else None


def forecast_target(
    rule: TargetRule, series: Series, organisation, period: Period | str
) -> TargetForecast | None:
    """The forecast toward ``rule``'s target at the end of ``period``'s year.

    None for a rule with nothing to forecast toward (qualitative, report only). See the
    module's docstring for the methods and when the verdict is "kan inte bedömas".
    """
    if isinstance(rule, QualitativeRule | ReportOnlyRule):
        return None
    org = getattr(organisation, "code", organisation)
    period = parse_period(period) if isinstance(period, str) else period
    year = Period(period.year)
    if _known(series, org, year, period) is not None:
        reason = _("Utfallet för %(year)s finns, så ingen prognos behövs.") % {"year": year}
        return TargetForecast(str(year), OKAND, reason, known=True)
    projection = project(series, org, period)
    if isinstance(projection, str):
        return TargetForecast(str(year), OKAND, projection)
    reference = None
    if isinstance(rule, ReferenceRule) and _known(series, rule.reference, year, period) is None:
        reference = project(series, rule.reference, period)
        if isinstance(reference, str):
            why = _("Ingen prognos för jämförelsevärdet (%(code)s): %(why)s") % {
                "code": rule.reference,
                "why": reference,
            }
            return TargetForecast(str(year), OKAND, why, projection)
    return _judged(rule, series, org, period, year, projection, reference)


def _judged(rule, series, org, period, year, projection, reference) -> TargetForecast:
    """The forecast judged by the assessment's own rule logic, on a copy of the series
    with only the totals known when ``period`` ends and the forecast value(s) added."""
    codes = {org, getattr(rule, "reference", org)}
    copy = Series(series.unit, series.polarity)
    for (code, text, gender), value in series.values.items():
        if gender == "T" and code in codes and parse_period(text).ends <= period.ends:
            copy.values[(code, text, gender)] = Value(value.value)
    copy.add(org, str(year), projection.value)
    if reference is not None:
        copy.add(rule.reference, str(year), reference.value)
    judged = assess_indicator(rule, copy, org, year)
    verdict = {UPPFYLLT: NAS, EJ_UPPFYLLT: NAS_INTE}.get(judged.status, OKAND)
    reason = _("Prognos: %(reason)s") % {"reason": judged.reason}
    return TargetForecast(str(year), verdict, reason, projection, reference)


def open_year(series: Series, organisation: str, years: range) -> str:
    """The first of ``years`` (a plan's years, 2023–2025) without a measured annual total of
    ``organisation``: the year a forecast is about; the last year when all are measured."""
    for year in years:
        if series.get(organisation, str(year)) is None:
            return str(year)
    return str(years[-1])
