"""Reasons as plain Swedish, and the gender flag beside (not instead of) the total's status."""

import re

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
from uppsikt.indicators.formatting import format_value
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
from uppsikt.indicators.wording import (
    gender_flag_text,
    goal_gender_flag_text,
    organisation_words,
    period_words,
)

NBSP = "\u00a0"
HOME = "0018"
# Organisation codes that can never be mistaken for a year of the generated periods.
CODES = ["0000", "0017", "0012", "0180", "1880", "0380"]
NAMES = {
    "0000": "Riket",
    "0017": "Region Värmland",
    "0012": "Region Skåne",
    HOME: "Region Örebro län",
}
values = st.decimals(min_value=-5000, max_value=5000, places=1, allow_nan=False)
shares = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)
years = st.integers(2001, 2099)
periods = st.one_of(
    st.builds(Period, years),
    st.builds(Period, years, st.just("tertial"), st.integers(1, 3)),
    st.builds(Period, years, st.just("month"), st.integers(1, 12)),
)
rules = st.one_of(
    st.builds(ChangeRule, st.sampled_from(["increase", "decrease", "improve"])),
    st.builds(ThresholdRule, st.one_of(st.none(), shares), st.one_of(st.none(), shares)),
    st.builds(ReferenceRule, st.sampled_from(CODES[:3]), st.sampled_from(["higher", "lower"])),
    st.just(BalanceRule()),
    st.just(ReportOnlyRule()),
    st.just(QualitativeRule()),
    st.builds(
        TargetValueRule,
        st.tuples(st.tuples(st.sampled_from(["2022", "2023"]), shares)),
        st.sampled_from(["at_least", "at_most"]),
    ),
)


@st.composite
def series(draw):
    """Values of HOME and a reference organisation, per kön or not, in a few periods."""
    made = Series("procent", by_gender=draw(st.booleans()))
    if draw(st.booleans()):
        made.names.update(NAMES)
    genders = ("T", "K", "M") if made.by_gender else ("T",)
    for code in (HOME, draw(st.sampled_from(CODES))):
        for period in draw(st.lists(periods, max_size=4)):
            for gender in genders:
                if draw(st.booleans()) or gender == "T":
                    made.add(code, str(period), draw(shares), gender)
    return made


# --- the gender flag ----------------------------------------------------------------------


@given(shares, shares, st.one_of(st.none(), shares), st.booleans())
def test_total_meets_and_women_miss_keeps_the_totals_status_with_a_flag(
    minimum, total, men, preliminary
):
    high, low = max(minimum, total), min(minimum, total)
    if high == low:
        return
    made = Series("procent", by_gender=True)
    made.add(HOME, "2023", high, preliminary=preliminary)
    made.add(HOME, "2023", low, "K")
    if men is not None:
        made.add(HOME, "2023", men, "M")
    rule = ThresholdRule(minimum=high)
    result = assess_indicator(rule, made, HOME, "2023")
    plain = Series("procent")
    plain.add(HOME, "2023", high, preliminary=preliminary)
    assert result.status == assess_indicator(rule, plain, HOME, "2023").status == UPPFYLLT
    assert result.gender_flag and "K" in result.gender_lagging
    assert ("M" in result.gender_lagging) == (men is not None and men < high)
    assert gender_flag_text(result.gender_lagging) + "." in result.reason


@given(rules, series(), periods)
def test_flag_only_per_kon_and_only_when_the_total_meets(rule, made, period):
    result = assess_indicator(rule, made, HOME, period)
    if not made.by_gender or result.status == EJ_BEDOMBAR:
        assert not result.gender_flag and result.gender_lagging == ()
    if result.gender_flag:
        assert result.status == UPPFYLLT and result.gender_lagging
    # The status stands on the total: the same series without K and M judges the same.
    total_only = Series(made.unit, made.polarity, False, dict(made.values), dict(made.forecasts))
    total_only.names.update(made.names)
    assert result.status == assess_indicator(rule, total_only, HOME, period).status


def test_flag_texts_name_who_misses_the_target():
    assert gender_flag_text(["K"]) == "Kvinnor når inte målet (totalen gör det)"
    assert gender_flag_text(["M"]) == "Män når inte målet (totalen gör det)"
    assert gender_flag_text(["K", "M"]).startswith("Varken kvinnor eller män")
    assert gender_flag_text([]).startswith("Kvinnor eller män")
    rows = [{"gender_flag": True, "gender_lagging": ["K"]}, {"gender_flag": False}]
    assert goal_gender_flag_text(rows) == "1 indikator är uppfylld totalt men inte för kvinnor"
    assert goal_gender_flag_text(rows[1:]) == ""


# --- plain Swedish ------------------------------------------------------------------------


@given(rules, series(), periods)
def test_reasons_never_name_an_organisation_by_its_code(rule, made, period):
    reason = assess_indicator(rule, made, HOME, period).reason
    for code in [*CODES, HOME]:
        assert not re.search(rf"\b{code}\b", reason), reason


def test_organisations_are_named_riket_inside_a_sentence_and_at_its_start():
    assert organisation_words("0000", "Riket") == "riket"
    assert organisation_words("0000", "Riket", start=True) == "Riket"
    assert organisation_words("0018", "Region Örebro län") == "Region Örebro län"
    assert organisation_words("0017") == "jämförelseorganisationen"
    made = Series("procent")
    made.names.update(NAMES)
    made.add(HOME, "2023", "80")
    made.add("0017", "2023", "82")
    result = assess_indicator(ReferenceRule("0017", "higher"), made, HOME, "2023")
    assert result.reason == f"80,0{NBSP}% mot 82,0{NBSP}% för Region Värmland (2023): lägre."
    missing = assess_indicator(ReferenceRule("0012"), made, HOME, "2023")
    assert missing.reason == "Jämförelsevärde för Region Skåne saknas för 2023."


@given(values, values, periods, st.sampled_from(["increase", "decrease"]))
def test_a_change_keeps_every_value_beside_its_period(now, before, period, direction):
    made = Series("antal")
    made.add(HOME, str(period), now)
    made.add(HOME, str(period.year_earlier()), before)
    reason = assess_indicator(ChangeRule(direction), made, HOME, period).reason
    assert f"{format_value(now, 'antal')} ({period_words(period)}) mot " in reason
    assert f"{format_value(before, 'antal')} ({period_words(period.year_earlier())})" in reason


@given(values, values, st.sampled_from(["increase", "decrease"]))
def test_a_forecast_keeps_its_year_beside_it(forecast, before, direction):
    made = Series("antal")
    made.add(HOME, "2022", before)
    made.add_forecast(HOME, "2023-07", forecast)
    reason = assess_indicator(ChangeRule(direction), made, HOME, "2023-07").reason
    expected = f"Helårsprognos {format_value(forecast, 'antal')} (2023) mot "
    assert reason.startswith(expected + f"{format_value(before, 'antal')} (2022): ")
    assert "lämnad per juli 2023" in reason


def test_the_issue_example_reads_as_plain_swedish():
    made = Series("antal")
    made.add(HOME, "2022", "22326")
    made.add(HOME, "2021", "22054")
    result = assess_indicator(ChangeRule("increase"), made, HOME, "2022")
    assert result.reason == f"22{NBSP}326 (2022) mot 22{NBSP}054 (2021): ökning."


# --- a goal's summary never contradicts its status ----------------------------------------

outcomes = st.sampled_from([UPPFYLLT, DELVIS, EJ_UPPFYLLT, EJ_BEDOMBAR])


@st.composite
def indicator_results(draw):
    person = draw(st.booleans())
    status = EJ_BEDOMBAR if person else draw(outcomes)
    flag = status == UPPFYLLT and draw(st.booleans())
    return IndicatorResult(
        status,
        draw(st.sampled_from(["Värde saknas för 2023.", "Målvärde saknas för 2024."])),
        needs_person=person,
        gender_flag=flag,
        gender_lagging=(draw(st.sampled_from([("K",), ("M",), ("K", "M")])) if flag else ()),
    )


def _number(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return int(found[1]) if found else None


@given(st.lists(indicator_results(), max_size=9), st.sampled_from(["alla", "majoritet"]))
def test_goal_summary_counts_and_verdict_agree_with_the_status(results, rule):
    proposal = aggregate(results, rule)
    reason = proposal.reason
    assessed = [r for r in results if r.status != EJ_BEDOMBAR]
    met = sum(r.status == UPPFYLLT for r in assessed)
    partly = sum(r.status == DELVIS for r in assessed)
    missed = len(assessed) - met - partly
    person = sum(r.needs_person for r in results)
    capped = "därför föreslås högst delvis uppfyllt" in reason
    if not assessed:
        assert proposal.status == EJ_BEDOMBAR
        assert reason.startswith("Ingen indikator kan bedömas automatiskt.")
        return
    first = reason.split(". ")[0] + "."
    if first.startswith(("Alla ", "Båda ", "Den bedömbara indikatorn är uppfylld")):
        assert met == len(assessed)
        assert proposal.status == (DELVIS if capped else UPPFYLLT)
    elif first.startswith(("Ingen av de ", "Den bedömbara indikatorn är inte uppfylld")):
        assert met == partly == 0 and proposal.status == EJ_UPPFYLLT
    elif first.startswith("Mer än hälften"):
        assert rule == "majoritet" and proposal.status == (DELVIS if capped else UPPFYLLT)
    else:
        assert first.startswith(("Högst hälften", "Inte alla"))
        assert proposal.status == DELVIS and not capped
    if first.startswith("Båda "):
        assert len(assessed) == 2
    if first.startswith(("Alla ", "Ingen av de ")):
        assert _number(r"(\d+)", first) == len(assessed)
    if " av " in first and not first.startswith("Ingen"):
        assert _number(r"(\d+) av \d+ är", first) == met
        assert _number(r"\d+ av (\d+) är", first) == len(assessed)
        assert _number(r"(\d+) delvis", first) == (partly or None)
        assert _number(r"(\d+) inte uppfyll", first) == (missed or None)
    assert capped == (person > 0 and _plain_status(assessed, rule))
    flagged = sum(r.gender_flag for r in assessed)
    assert proposal.gender_flags == flagged
    assert (_number(r"(\d+) indikator(?:er)? är uppfyllda? totalt", reason) or 0) == flagged
    assert "Ingen indikator kan bedömas" not in reason


def _plain_status(assessed, rule) -> bool:
    """Whether the goal would be uppfyllt without the cap for a person's indicators."""
    return aggregate(assessed, rule).status == UPPFYLLT


def test_goal_summaries_read_as_sentences():
    met, missed = IndicatorResult(UPPFYLLT, ""), IndicatorResult(EJ_UPPFYLLT, "")
    flagged = IndicatorResult(UPPFYLLT, "", gender_flag=True, gender_lagging=("M",))
    assert aggregate([met, met, missed], "majoritet").reason == (
        "Mer än hälften av poängen enligt majoritetsregeln: 2 av 3 är uppfyllda och "
        "1 inte uppfylld."
    )
    assert aggregate([met, missed]).reason == (
        "Inte alla bedömbara indikatorer är uppfyllda: 1 av 2 är uppfylld och 1 inte uppfylld."
    )
    proposal = aggregate([met, flagged])
    assert proposal.status == UPPFYLLT and proposal.gender_flags == 1
    assert proposal.reason == (
        "Båda de bedömbara indikatorerna är uppfyllda. "
        "1 indikator är uppfylld totalt men inte för män."
    )
    missing = IndicatorResult(EJ_BEDOMBAR, "Värde saknas för 2023.", value_period="")
    assert aggregate([missed, missing]).reason == (
        "Den bedömbara indikatorn är inte uppfylld. "
        "1 indikator kan inte bedömas automatiskt och räknas inte med."
    )
