"""Periods, Swedish number formatting, target rules and assessment as plain functions."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators.aggregation import aggregate
from uppsikt.indicators.assessment import (
    DELVIS,
    EJ_BEDOMBAR,
    EJ_UPPFYLLT,
    UPPFYLLT,
    IndicatorResult,
    Series,
    assess_indicator,
)
from uppsikt.indicators.formatting import format_number, format_value
from uppsikt.indicators.periods import Period, PeriodError, format_period, parse_period
from uppsikt.indicators.rules import (
    BalanceRule,
    ChangeRule,
    QualitativeRule,
    ReferenceRule,
    ReportOnlyRule,
    TargetValueRule,
    ThresholdRule,
    propose_rule,
    rule_from_data,
    to_data,
)

NBSP = "\u00a0"
periods = st.one_of(
    st.builds(Period, st.integers(1900, 2100)),
    st.builds(Period, st.integers(1900, 2100), st.just("tertial"), st.integers(1, 3)),
    st.builds(Period, st.integers(1900, 2100), st.just("month"), st.integers(1, 12)),
)
values = st.decimals(min_value=-10_000, max_value=10_000, places=1, allow_nan=False)


# --- periods ------------------------------------------------------------------------------


@given(periods)
def test_period_round_trips_through_its_text(period):
    assert parse_period(format_period(period)) == period


@given(periods, st.integers(-50, 50))
def test_previous_undoes_shift_and_keeps_the_kind(period, steps):
    shifted = period.shift(steps)
    assert shifted.kind == period.kind
    assert shifted.shift(-steps) == period
    assert period.shift(1).previous() == period


def test_period_notation_and_arithmetic():
    assert str(parse_period("2023")) == "2023"
    assert parse_period("2023T1").previous() == parse_period("2022T3")
    assert parse_period("2023-01").previous() == parse_period("2022-12")
    assert parse_period("2023T2").year_earlier() == parse_period("2022T2")
    assert parse_period("2023-07").label == "2023-07"


@pytest.mark.parametrize("text", ["23", "2023T4", "2023-13", "2023-7", "2023 T1", "", "år"])
def test_bad_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


# --- Swedish numbers ----------------------------------------------------------------------


def test_swedish_number_formatting():
    assert format_number(Decimal("74.1")) == "74,1"
    assert format_number(Decimal("1234567.25"), 2) == f"1{NBSP}234{NBSP}567,25"
    assert format_number(Decimal("-0.04")) == "0,0"
    assert format_number(Decimal("-17")) == "\u221217,0"
    assert format_value(Decimal("74.1"), "procent") == f"74,1{NBSP}%"
    assert format_value(Decimal("24810"), "antal") == f"24{NBSP}810"
    assert format_value(None, "procent") == "–"


@given(values)
def test_formatted_number_reads_back_as_the_same_value(value):
    text = format_number(value)
    assert "." not in text
    back = Decimal(text.replace(NBSP, "").replace(",", ".").replace("\u2212", "-"))
    assert back == value


# --- rules as data and in words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Jämställdhetsindex, Jämix, ska öka i jämförelse med föregående år.", ChangeRule()),
        ("Frisktalet ska förbättras i jämförelse med föregående år.", ChangeRule("improve")),
        (
            "Fler patienter screenas med levnadsvaneformulär jämfört med föregående år.",
            ChangeRule(),
        ),
        (
            "Minst 50 procent av alla vuxna patienter bli färdigbehandlade vid ett besök.",
            ThresholdRule(minimum=Decimal(50)),
        ),
        ("Andelen ska vara högre än rikets nivå enligt barometern.", ReferenceRule()),
        ("Regionstyrelsen redovisar ett resultat i balans.", BalanceRule()),
        (
            "Personalomsättningen externt ska redovisas. Den ska minska i jämförelse med föregående år.",
            ChangeRule("decrease"),
        ),
        ("Sjukfrånvaron ska redovisas.", ReportOnlyRule()),
        ("Region Örebro läns värdegrund ska integreras under kommande år.", None),
        (
            "Andelen med bredband om minst 100 Mbit/s ska öka i förhållande till föregående år.",
            ChangeRule(),
        ),
    ],
)
def test_propose_rule_reads_the_plan_sentences(sentence, rule):
    assert propose_rule(sentence) == rule


def test_rules_describe_themselves_in_swedish():
    assert ChangeRule().describe() == "Ska öka jämfört med föregående år"
    assert ThresholdRule(minimum=Decimal(50)).describe("procent") == f"Minst 50,0{NBSP}%"
    assert ReferenceRule().describe() == "Högre än rikets nivå"
    assert "2023: minst" in TargetValueRule((("2023", Decimal(75)),)).describe("procent")


@pytest.mark.parametrize(
    "rule",
    [
        ChangeRule("decrease"),
        ThresholdRule(Decimal("1.5"), Decimal(9)),
        ReferenceRule("0010", "lower"),
        BalanceRule(),
        ReportOnlyRule(),
        QualitativeRule(),
        TargetValueRule((("2023", Decimal("75.5")),), "at_most"),
    ],
)
def test_rules_round_trip_through_data(rule):
    assert rule_from_data(to_data(rule)) == rule


# --- assessing one indicator --------------------------------------------------------------

judged_rules = st.one_of(
    st.sampled_from([ChangeRule(), ChangeRule("decrease"), ChangeRule("improve"), BalanceRule()]),
    st.builds(ThresholdRule, values, st.none()),
    st.builds(ReferenceRule),
)


def two_years(now, before, riket=None, **kw) -> Series:
    series = Series("procent", **kw)
    series.add("0018", "2023", now)
    series.add("0018", "2022", before)
    if riket is not None:
        series.add("0000", "2023", riket)
    return series


def test_change_reason_in_swedish():
    result = assess_indicator(ChangeRule(), two_years("74.1", "72.3"), "0018", "2023")
    assert result.status == UPPFYLLT
    assert result.reason == f"74,1{NBSP}% (2023) mot 72,3{NBSP}% (2022): ökning."
    assert not result.preliminary


@given(values, values)
def test_increase_and_decrease_are_never_both_met(now, before):
    series = two_years(now, before)
    up = assess_indicator(ChangeRule("increase"), series, "0018", "2023")
    down = assess_indicator(ChangeRule("decrease"), series, "0018", "2023")
    assert not (up.status == UPPFYLLT and down.status == UPPFYLLT)


@given(values, values, st.sampled_from(["higher_better", "lower_better"]))
def test_improve_follows_polarity(now, before, polarity):
    series = two_years(now, before, polarity=polarity)
    direction = "increase" if polarity == "higher_better" else "decrease"
    improve = assess_indicator(ChangeRule("improve"), series, "0018", "2023")
    plain = assess_indicator(ChangeRule(direction), series, "0018", "2023")
    assert improve.status == plain.status


@given(judged_rules, st.sampled_from(["2023", "2023T2", "2023-07"]))
def test_no_data_is_never_met(rule, period):
    result = assess_indicator(rule, Series("procent"), "0018", period)
    assert result.status == EJ_BEDOMBAR


@given(values, values, values)
def test_threshold_is_monotonic(minimum, low, high):
    low, high = sorted((low, high))
    rule = ThresholdRule(minimum=minimum)
    at = {}
    for name, value in (("low", low), ("high", high)):
        series = Series("procent")
        series.add("0018", "2023", value)
        at[name] = assess_indicator(rule, series, "0018", "2023").status
    if at["low"] == UPPFYLLT:
        assert at["high"] == UPPFYLLT


def test_preliminary_data_is_flagged_not_silently_met():
    series = Series("procent")
    series.add("0018", "2023", "55", preliminary=True)
    result = assess_indicator(ThresholdRule(minimum=Decimal(50)), series, "0018", "2023")
    assert result.status == UPPFYLLT
    assert result.preliminary
    assert result.reason.startswith("Preliminärt:")
    goal = aggregate([result])
    assert goal.preliminary and goal.reason.startswith("Preliminärt:")


def test_reference_rule_compares_with_riket():
    result = assess_indicator(ReferenceRule(), two_years("80", "70", riket="82"), "0018", "2023")
    assert result.status == EJ_UPPFYLLT
    assert result.reason == f"80,0{NBSP}% mot 82,0{NBSP}% för riket (2023): lägre."
    missing = assess_indicator(ReferenceRule(), two_years("80", "70"), "0018", "2023")
    assert missing.status == EJ_BEDOMBAR


def test_gender_flag_when_total_meets_but_women_do_not():
    series = two_years("74", "72", by_gender=True)
    series.add("0018", "2023", "70", "K")
    series.add("0018", "2022", "71", "K")
    series.add("0018", "2023", "78", "M")
    series.add("0018", "2022", "73", "M")
    result = assess_indicator(ChangeRule(), series, "0018", "2023")
    assert result.gender_flag and result.gender_lagging == ("K",)
    # The status stands on the total; the flag is beside it, not a downgrade.
    assert result.status == UPPFYLLT
    assert result.gender_gap == Decimal(-8)
    assert "Kvinnor når inte målet (totalen gör det)." in result.reason
    assert result.to_data()["gender_lagging"] == ["K"]
    assert "Skillnad kvinnor–män: \u22128,0\u00a0procentenheter" in result.reason


def test_report_only_and_qualitative_are_not_judged():
    series = Series("procent")
    series.add("0018", "2023", "8.5")
    assert assess_indicator(ReportOnlyRule(), series, "0018", "2023").status == EJ_BEDOMBAR
    assert assess_indicator(QualitativeRule(), series, "0018", "2023").status == EJ_BEDOMBAR


def test_explicit_target_value():
    series = Series("procent")
    series.add("0018", "2023", "76")
    rule = TargetValueRule((("2023", Decimal(75)),))
    assert assess_indicator(rule, series, "0018", "2023").status == UPPFYLLT
    assert assess_indicator(rule, series, "0018", "2024").status == EJ_BEDOMBAR


# --- a goal from its indicators -----------------------------------------------------------

statuses = st.sampled_from([UPPFYLLT, DELVIS, EJ_UPPFYLLT, EJ_BEDOMBAR])


def results(*names):
    return [IndicatorResult(name, "") for name in names]


def test_aggregation_rules():
    assert aggregate(results(UPPFYLLT, UPPFYLLT, EJ_BEDOMBAR)).status == UPPFYLLT
    assert aggregate(results(UPPFYLLT, EJ_UPPFYLLT)).status == DELVIS
    assert aggregate(results(EJ_UPPFYLLT, EJ_BEDOMBAR)).status == EJ_UPPFYLLT
    assert aggregate(results(EJ_BEDOMBAR, EJ_BEDOMBAR)).status == EJ_BEDOMBAR
    assert aggregate([]).status == EJ_BEDOMBAR
    majority = results(UPPFYLLT, UPPFYLLT, EJ_UPPFYLLT)
    assert aggregate(majority, "majoritet").status == UPPFYLLT
    assert aggregate(results(UPPFYLLT, EJ_UPPFYLLT), "majoritet").status == DELVIS
    with pytest.raises(ValueError):
        aggregate(majority, "hälften")


@given(st.lists(statuses, max_size=8), st.sampled_from(["alla", "majoritet"]))
def test_aggregate_is_met_only_with_a_met_indicator(names, rule):
    status = aggregate(results(*names), rule).status
    if status == UPPFYLLT:
        assert UPPFYLLT in names
    if all(name == EJ_BEDOMBAR for name in names):
        assert status == EJ_BEDOMBAR


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.decimals(min_value=-500, max_value=500, places=1)),
            st.one_of(st.none(), st.decimals(min_value=-500, max_value=500, places=1)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.one_of(st.none(), st.decimals(min_value=-500, max_value=500, places=1)),
)
def test_indicator_bars_start_at_zero_and_stay_inside_the_chart(values, target):
    from uppsikt.indicators.chart import HEIGHT, WIDTH, bar_chart
    from uppsikt.indicators.queries import Cell, SeriesRow

    rows = [
        SeriesRow(f"{2019 + i}", {"0018": {"T": Cell(a)}, "0000": {"T": Cell(b)}})
        for i, (a, b) in enumerate(values)
    ]
    targets = {"2019": target} if target is not None else {}
    columns = [("0018", "T", "org", "Regionen"), ("0000", "T", "riket", "Riket")]
    chart = bar_chart(rows, columns, "procent", targets, "Mål")
    if all(v is None for pair in values for v in pair) and target is None:
        assert chart is None
        return
    assert 0 <= chart.baseline <= HEIGHT
    for group in chart.groups:
        for bar in group.bars:
            assert bar.y >= 0 and bar.y + bar.height <= HEIGHT + 0.2
            assert (
                abs(bar.y - chart.baseline) < 0.2 or abs(bar.y + bar.height - chart.baseline) < 0.2
            )
            assert bar.x >= 0 and bar.x + bar.width <= WIDTH
    for mark in chart.marks:
        assert 0 <= mark.y <= HEIGHT
    assert sum(len(g.bars) for g in chart.groups) == sum(v is not None for p in values for v in p)


# --- assessment at a date: only values up to the period's end ------------------------------

any_rule = st.sampled_from(
    [
        ChangeRule("increase"),
        ChangeRule("decrease"),
        ThresholdRule(minimum=Decimal(50)),
        ReferenceRule(),
        BalanceRule(),
        ReportOnlyRule(),
        TargetValueRule((("2023", Decimal(60)), ("2024", Decimal(70)))),
    ]
)
assessed_periods = st.sampled_from(["2023", "2023T1", "2023T2", "2023T3", "2023-07", "2022-12"])
measured = st.tuples(
    st.sampled_from(["0018", "0000"]),
    st.sampled_from(
        [
            *("2021", "2022", "2023", "2024", "2022T1", "2022T3", "2023T1", "2023T2"),
            *("2023T3", "2022-07", "2023-04", "2023-07", "2023-12", "2024T1"),
        ]
    ),
    st.sampled_from(["T", "K", "M"]),
    values,
)


def _series(rows, by_gender=True) -> Series:
    series = Series("procent", by_gender=by_gender)
    for org, period, gender, value in rows:
        series.add(org, period, value, gender)
    return series


def _ends_after(text: str, period: Period) -> bool:
    return parse_period(text).ends > period.ends


@given(any_rule, assessed_periods, st.lists(measured, max_size=25), st.lists(measured, max_size=10))
def test_values_after_the_period_never_change_the_proposal(rule, assessed, before, extra):
    period = parse_period(assessed)
    before = [row for row in before if not _ends_after(row[1], period)]
    later = [row for row in extra if _ends_after(row[1], period)]
    plain = assess_indicator(rule, _series(before), "0018", period)
    with_later = assess_indicator(rule, _series(before + later), "0018", period)
    assert with_later == plain


def test_an_annual_value_does_not_judge_a_tertial_of_the_same_year():
    series = Series("procent")
    series.add("0018", "2023", "80")  # the whole year: ends after tertial 1
    series.add("0018", "2022", "40")
    result = assess_indicator(ThresholdRule(minimum=Decimal(50)), series, "0018", "2023T1")
    assert result.status == EJ_UPPFYLLT
    assert "2022" in result.reason and "80" not in result.reason
    assert result.reason.startswith("Senaste värdet till och med tertial 1 2023 är från 2022.")


def test_the_latest_earlier_value_and_its_own_previous_year_are_used():
    series = Series("procent")
    series.add("0018", "2023T1", "55")
    series.add("0018", "2022T1", "50")
    series.add("0018", "2022", "70")  # ends before 2023-07, but 2023T1 is later
    series.add("0018", "2023T2", "10")  # ends in August: after 2023-07
    series.add("0018", "2024", "10")
    result = assess_indicator(ChangeRule("increase"), series, "0018", "2023-07")
    assert result.status == UPPFYLLT
    assert f"55,0{NBSP}% (tertial 1 2023) mot 50,0{NBSP}% (tertial 1 2022): ökning" in result.reason
    assert result.reason.startswith("Senaste värdet till och med juli 2023 är från tertial 1 2023.")


def test_the_period_of_the_assessed_kind_wins_when_periods_end_together():
    series = Series("procent")
    series.add("0018", "2023", "60")
    series.add("0018", "2023T3", "40")
    rule = ThresholdRule(minimum=Decimal(50))
    assert assess_indicator(rule, series, "0018", "2023").status == UPPFYLLT
    assert assess_indicator(rule, series, "0018", "2023T3").status == EJ_UPPFYLLT


def test_a_month_is_judged_against_its_year_target():
    series = Series("procent")
    series.add("0018", "2023T1", "65")
    rule = TargetValueRule((("2023", Decimal(60)),))
    result = assess_indicator(rule, series, "0018", "2023-07")
    assert result.status == UPPFYLLT
    assert f"65,0{NBSP}% (tertial 1 2023), målet är minst 60,0{NBSP}%" in result.reason


def test_no_value_up_to_the_period_is_not_assessable():
    series = Series("procent")
    series.add("0018", "2024", "99")
    result = assess_indicator(ThresholdRule(minimum=Decimal(50)), series, "0018", "2023")
    assert result.status == EJ_BEDOMBAR
    assert "99" not in result.reason


@given(
    st.lists(st.tuples(statuses, st.booleans()), min_size=1, max_size=8),
    st.sampled_from(["alla", "majoritet"]),
)
def test_goal_with_person_judged_indicators_is_never_proposed_met(items, rule):
    judged = [
        IndicatorResult(EJ_BEDOMBAR if person else name, "", needs_person=person)
        for name, person in items
    ]
    plain = [r for r in judged if not r.needs_person]
    proposal = aggregate(judged, rule)
    if any(r.needs_person for r in judged):
        assert proposal.status != UPPFYLLT
        if any(r.status != EJ_BEDOMBAR for r in judged):
            assert "kräver bedömning av en person" in proposal.reason
        if aggregate(plain, rule).status == UPPFYLLT:
            assert proposal.status == DELVIS and "högst delvis uppfyllt" in proposal.reason
        else:  # the cap never changes any other status
            assert proposal.status == aggregate(plain, rule).status or not plain
    else:
        assert "person" not in proposal.reason


def test_qualitative_and_report_only_results_need_a_person():
    series = Series("procent")
    series.add("0018", "2023", "8.5")
    for rule in (ReportOnlyRule(), QualitativeRule()):
        assert assess_indicator(rule, series, "0018", "2023").needs_person
    assert not assess_indicator(
        ThresholdRule(minimum=Decimal(5)), series, "0018", "2023"
    ).needs_person
    met = IndicatorResult(UPPFYLLT, "")
    person = IndicatorResult(EJ_BEDOMBAR, "", needs_person=True)
    proposal = aggregate([met, person, person])
    assert proposal.status == DELVIS
    assert proposal.reason == (
        "Den bedömbara indikatorn är uppfylld. 2 indikatorer kräver bedömning av en person, "
        "därför föreslås högst delvis uppfyllt."
    )


@given(
    st.integers(min_value=2000, max_value=2099),
    st.sampled_from(
        [("year", 1)] + [("tertial", n) for n in (1, 2, 3)] + [("month", n) for n in range(1, 13)]
    ),
    st.integers(min_value=2000, max_value=2099),
    st.sampled_from(
        [("year", 1)] + [("tertial", n) for n in (1, 2, 3)] + [("month", n) for n in range(1, 13)]
    ),
)
def test_assessment_period_labels_are_words_and_tell_periods_apart(y1, k1, y2, k2):
    from uppsikt.indicators.periods import Period, assessment_period_label

    a, b = Period(y1, *k1), Period(y2, *k2)
    label_a, label_b = assessment_period_label(str(a)), assessment_period_label(str(b))
    assert str(y1) in label_a and "-" not in label_a and "T" not in label_a
    assert (label_a == label_b) == (a == b)


def test_assessment_period_label_examples():
    from uppsikt.indicators.periods import assessment_period_label

    assert assessment_period_label("2023") == "helår 2023"
    assert assessment_period_label("2023T2") == "tertial 2 2023"
    assert assessment_period_label("2023-07") == "till och med juli 2023"


@given(st.lists(st.sampled_from([QualitativeRule(), ReportOnlyRule()]), min_size=1, max_size=5))
def test_unassessable_goal_reason_reads_as_sentences(rules):
    series = Series("procent")
    series.add("0018", "2023", "8.5")
    judged = [assess_indicator(rule, series, "0018", "2023") for rule in rules]
    reason = aggregate(judged).reason
    assert reason.startswith("Ingen indikator kan bedömas automatiskt. ")
    assert ":" not in reason
    # An ej bedömbar goal's line never mentions a value (a report-only figure is 8,5 %).
    assert "8,5" not in reason
    count = len(rules)
    assert f"{count} {'indikator' if count == 1 else 'indikatorer'} kräver bedömning" in reason
