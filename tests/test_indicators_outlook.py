"""Prognos mot målet (indicators/outlook.py) as plain functions, without a database."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators.assessment import Series
from uppsikt.indicators.outlook import (
    MIN_POINTS,
    NAS,
    NAS_INTE,
    OKAND,
    SAME_PART,
    TREND,
    TREND_YEARS,
    forecast_target,
    project,
    rounded,
    trend_at,
)
from uppsikt.indicators.periods import Period
from uppsikt.indicators.rules import (
    BalanceRule,
    ChangeRule,
    QualitativeRule,
    ReferenceRule,
    ReportOnlyRule,
    TargetValueRule,
    ThresholdRule,
)

ORG = "0018"
tenths = st.decimals(min_value=-500, max_value=500, places=1, allow_nan=False)
years = st.integers(2000, 2030)


def annual(values: dict[int, Decimal], unit: str = "index", org: str = ORG, **kw) -> Series:
    series = Series(unit, **kw)
    for year, value in values.items():
        series.add(org, str(year), value)
    return series


@given(start=tenths, slope=tenths, year=years, count=st.integers(MIN_POINTS, TREND_YEARS))
def test_a_perfectly_linear_series_forecasts_its_line_exactly(start, slope, year, count):
    first = year - count
    series = annual({first + i: start + slope * i for i in range(count)})
    projection = project(series, ORG, Period(year))
    assert projection.method == TREND
    assert projection.value == start + slope * count
    assert projection.basis == f"Trend över {first}–{year - 1} ({count} årsvärden)"


@given(
    values=st.lists(tenths, min_size=MIN_POINTS, max_size=TREND_YEARS),
    shift=tenths,
    year=years,
)
def test_adding_a_constant_shifts_the_forecast_by_the_constant(values, shift, year):
    first = year - len(values)
    plain = project(annual({first + i: v for i, v in enumerate(values)}), ORG, Period(year))
    moved = annual({first + i: v + shift for i, v in enumerate(values)})
    assert project(moved, ORG, Period(year)).value == plain.value + shift


@given(values=st.lists(tenths, max_size=MIN_POINTS - 1), year=years, limit=tenths)
def test_too_few_points_give_no_forecast_and_never_nas(values, year, limit):
    first = year - len(values)
    series = annual({first + i: v for i, v in enumerate(values)})
    assert isinstance(project(series, ORG, Period(year)), str)
    result = forecast_target(ThresholdRule(minimum=limit), series, ORG, str(year))
    assert result.projection is None and result.verdict == OKAND
    assert "För få årsvärden" in result.reason


def test_only_the_years_just_before_count_toward_the_trend():
    # Old values outside the window do not make a trend.
    series = annual({2010: Decimal(1), 2011: Decimal(2), 2012: Decimal(3), 2022: Decimal(5)})
    assert isinstance(project(series, ORG, Period(2023)), str)


@given(
    values=st.lists(tenths, min_size=MIN_POINTS, max_size=TREND_YEARS),
    low=st.none() | tenths,
    high=st.none() | tenths,
    year=years,
)
def test_a_threshold_verdict_agrees_with_comparing_the_forecast_value(values, low, high, year):
    first = year - len(values)
    series = annual({first + i: v for i, v in enumerate(values)})
    rule = ThresholdRule(low, high)
    result = forecast_target(rule, series, ORG, str(year))
    value = result.projection.value
    if low is None and high is None:
        return  # "Gränsvärde saknas": nothing to compare with
    met = (low is None or value >= low) and (high is None or value <= high)
    assert result.verdict == (NAS if met else NAS_INTE)
    assert result.reason.startswith("Prognos: ")


@given(
    rule=st.sampled_from(
        [ThresholdRule(Decimal(0)), BalanceRule(), ChangeRule("increase"), ReferenceRule()]
    ),
    values=st.dictionaries(st.integers(2015, 2023), tenths, max_size=6),
    period=st.sampled_from(["2023", "2023T1", "2023-07", "2024"]),
)
def test_never_nas_without_a_forecast_value(rule, values, period):
    series = annual(values)
    result = forecast_target(rule, series, ORG, period)
    if result.projection is None:
        assert result.verdict == OKAND


def test_rules_without_a_target_have_no_forecast():
    series = annual({2020: Decimal(1), 2021: Decimal(2), 2022: Decimal(3)})
    assert forecast_target(QualitativeRule(), series, ORG, "2023") is None
    assert forecast_target(ReportOnlyRule(), series, ORG, "2023") is None


def test_no_forecast_is_needed_when_the_years_value_is_measured():
    series = annual({2020: Decimal(1), 2021: Decimal(2), 2022: Decimal(3), 2023: Decimal(4)})
    result = forecast_target(ThresholdRule(Decimal(2)), series, ORG, "2023")
    assert result.known and result.projection is None and result.verdict == OKAND
    # Before the year ends (tertial 2) the annual value is not yet known: a forecast is made.
    result = forecast_target(ThresholdRule(Decimal(2)), series, ORG, "2023T2")
    assert not result.known and result.projection.value == Decimal(4)


def test_same_part_of_last_year_carries_this_year_forward_by_last_years_change():
    series = annual({2020: Decimal(50), 2021: Decimal(52), 2022: Decimal(60)}, unit="procent")
    series.add(ORG, "2022T2", Decimal("55.5"))
    series.add(ORG, "2023T1", Decimal("57"))
    series.add(ORG, "2023T2", Decimal("58"))
    projection = project(series, ORG, Period(2023, "tertial", 2))
    # 58 + (60 − 55,5)
    assert projection.method == SAME_PART and projection.value == Decimal("62.5")
    assert projection.basis == "Samma del av 2022: 2022T2 till helår 2022"
    assert projection.periods == ("2023T2", "2022T2", "2022")
    # As of tertial 1 last year's tertial 1 is missing: the trend is used instead.
    assert project(series, ORG, Period(2023, "tertial", 1)).method == TREND


@given(now=tenths, then=tenths, whole=tenths, shift=tenths)
def test_same_part_shifts_with_a_constant_too(now, then, whole, shift):
    def build(c):
        series = annual({2022: whole + c})
        series.add(ORG, "2022-07", then + c)
        series.add(ORG, "2023-07", now + c)
        return project(series, ORG, Period(2023, "month", 7)).value

    assert build(shift) == build(Decimal(0)) + shift == now + whole - then + shift


def test_shares_stay_within_0_and_100_and_counts_are_whole():
    series = annual({2020: Decimal(90), 2021: Decimal(95), 2022: Decimal("99.9")}, "procent")
    projection = project(series, ORG, Period(2023))
    assert projection.value == Decimal(100) and projection.limited
    counts = annual({2020: Decimal(10), 2021: Decimal(11), 2022: Decimal(13)}, "antal")
    assert project(counts, ORG, Period(2023)).value == Decimal(14)  # 14,33… → 14


def test_rounding_sends_a_tie_upwards():
    assert rounded(Fraction(1, 20), "procent") == Decimal("0.1")
    assert rounded(Fraction(-1, 20), "procent") == Decimal("0.0")
    assert rounded(Fraction(-3, 40), "procent") == Decimal("-0.1")
    assert rounded(Fraction(5, 2), "antal") == Decimal(3)
    assert trend_at([(2020, Decimal(1)), (2021, Decimal(3)), (2022, Decimal(2))], 2023) == 3


def test_change_and_target_value_rules_use_the_assessments_logic():
    series = annual({2020: Decimal(10), 2021: Decimal(12), 2022: Decimal(14)})
    result = forecast_target(ChangeRule("increase"), series, ORG, "2023")
    assert result.verdict == NAS and "ökning" in result.reason
    assert forecast_target(ChangeRule("decrease"), series, ORG, "2023").verdict == NAS_INTE
    target = TargetValueRule((("2023", Decimal(17)),))
    assert forecast_target(target, series, ORG, "2023").verdict == NAS_INTE
    missing = forecast_target(TargetValueRule((("2024", Decimal(1)),)), series, ORG, "2023")
    assert missing.verdict == OKAND and "Målvärde saknas för 2023" in missing.reason


def test_a_reference_rule_forecasts_the_reference_too_or_uses_its_value():
    series = annual({2020: Decimal(10), 2021: Decimal(12), 2022: Decimal(14)})
    result = forecast_target(ReferenceRule("0000", "higher"), series, ORG, "2023")
    assert result.verdict == OKAND and result.reason.startswith("Ingen prognos för jämförelse")
    for year, value in {2020: 20, 2021: 19, 2022: 18}.items():
        series.add("0000", str(year), value)
    result = forecast_target(ReferenceRule("0000", "higher"), series, ORG, "2023")
    assert result.verdict == NAS_INTE and result.reference.value == Decimal(17)
    series.add("0000", "2023", Decimal(15))  # Riket's value is measured: it is used
    result = forecast_target(ReferenceRule("0000", "higher"), series, ORG, "2023")
    assert result.verdict == NAS and result.reference is None


def test_preliminary_values_mark_the_forecast_and_gender_is_not_forecast():
    series = annual({2020: Decimal(10), 2021: Decimal(12)}, by_gender=True)
    series.add(ORG, "2022", Decimal(14), preliminary=True)
    series.add(ORG, "2022", Decimal(1), gender="K")
    result = forecast_target(ThresholdRule(Decimal(15)), series, ORG, "2023")
    assert result.preliminary and result.verdict == NAS
    assert not result.reason.startswith("Prognos: Preliminärt")
