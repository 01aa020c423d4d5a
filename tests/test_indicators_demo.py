"""The demo's example indicator data is internally consistent and honestly labelled."""

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from uppsikt.indicators.demo import load_demo_indicators, split_by_gender, unmeasured_unit
from uppsikt.indicators.models import Assessment, IndicatorTarget, Measurement
from uppsikt.indicators.queries import rank_values
from uppsikt.indicators.rules import QualitativeRule, ReportOnlyRule
from uppsikt.organisations.models import Organisation


def _by_key():
    values = defaultdict(dict)
    rows = Measurement.objects.values_list(
        "definition__unit", "definition__key", "organisation__code", "period", "gender", "value"
    )
    for unit, key, code, period, gender, value in rows:
        values[(unit, key, code, period)][gender] = value
    return values


def test_demo_totals_agree_with_women_and_men(demo_with_indicators):
    checked = defaultdict(int)
    for (unit, key, code, period), cells in _by_key().items():
        if unit in ("procent", "andel"):
            assert all(0 <= value <= 100 for value in cells.values()), (key, code, period)
        if set(cells) != {"T", "K", "M"}:
            continue
        total, women, men = cells["T"], cells["K"], cells["M"]
        if unit == "antal":
            assert total == women + men, (key, code, period, cells)
        else:
            assert min(women, men) <= total <= max(women, men), (key, code, period, cells)
        checked[unit] += 1
    assert checked["antal"] and checked["procent"]


@given(
    st.sampled_from(["antal", "procent", "index"]),
    st.decimals(min_value=0, max_value=99, places=1),
    st.floats(min_value=-0.06, max_value=0.06),
)
def test_split_by_gender_keeps_the_total(unit, total, spread):
    if unit == "antal":
        total = total.quantize(Decimal(1)) * 1000
    women, men = split_by_gender(unit, total, spread)
    if unit == "antal":
        assert women + men == total and women >= 0 and men >= 0
    else:
        assert min(women, men) <= total <= max(women, men)
    if unit == "procent":
        assert 0 <= women <= 100 and 0 <= men <= 100


def test_statements_are_not_given_a_made_up_unit(demo_with_indicators, client):
    statements = IndicatorTarget.objects.filter(
        rule__kind__in=["qualitative", "report_only"]
    ).select_related("definition")
    assert statements
    for target in statements:
        assert target.definition.unit != "index", target.indicator.text
        if not target.definition.measurements.exists():
            assert target.definition.unit == "ingen", target.indicator.text
    html = client.get(statements[0].definition.get_absolute_url()).content.decode()
    assert "ingen enhet" in html and ">index<" not in html
    # Indexes that are measured keep their unit.
    hme = IndicatorTarget.objects.get(definition__key="hme")
    assert hme.definition.unit == "index"


def test_report_only_sentences_take_the_unit_they_name():
    report = ReportOnlyRule()
    assert unmeasured_unit("Antalet anmälningar ska redovisas.", report) == "antal"
    assert unmeasured_unit("Andelen digitala besök ska redovisas.", report) == "procent"
    assert unmeasured_unit("Arbetet ska redovisas.", report) == "ingen"
    assert unmeasured_unit("Antalet möten ökar.", QualitativeRule()) == "ingen"


def test_comparable_series_cover_riket_and_all_21_regions(demo_with_indicators):
    regions = set(Organisation.objects.filter(kind="region").values_list("code", flat=True))
    assert len(regions) == 21 and "0018" in regions
    for key in ("tillgang-till-varden", "hme", "frisktal", "personalomsattning-externt"):
        rows = Measurement.objects.filter(definition__key=key, gender="T")
        found = set(rows.values_list("organisation__code", "period"))
        expected = {(code, str(year)) for code in regions | {"0000"} for year in range(2019, 2024)}
        assert found == expected, key
        assert set(rows.values_list("source", flat=True)) == {"exempeldata"}


def test_demo_series_are_deterministic(demo_with_indicators):
    before = sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value"
        )
    )
    load_demo_indicators()
    after = sorted(
        Measurement.objects.values_list(
            "definition__key", "organisation__code", "period", "gender", "value"
        )
    )
    assert before == after


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["0000", "0010", "0018", "0001", "0003", "1880"]),
            st.decimals(min_value=0, max_value=100, places=1),
        ),
        unique_by=lambda item: item[0],
    ),
    st.booleans(),
)
def test_riket_is_the_reference_never_ranked(values, descending):
    ranked = rank_values(values, descending=descending)
    assert sorted(code for _rank, code, _v in ranked) == sorted(code for code, _v in values)
    riket = [row for row in ranked if row[1] == "0000"]
    assert all(rank is None for rank, _c, _v in riket)
    assert ranked[: len(riket)] == riket  # the reference comes first
    others = ranked[len(riket) :]
    assert all(rank is not None for rank, _c, _v in others)
    if others:
        assert others[0][0] == 1
    for (rank_a, _ca, a), (rank_b, _cb, b) in pairwise(others):
        assert (a >= b) if descending else (a <= b)
        assert rank_b == rank_a if a == b else rank_b > rank_a


def test_every_demo_rule_is_an_example_confirmation(demo_with_indicators, client):
    targets = IndicatorTarget.objects.select_related("indicator__goal")
    assert targets and all(
        t.rule_confirmed_as_example and not t.rule_is_proposed and t.awaits_confirmation
        for t in targets
    )
    plan_page = client.get(targets[0].indicator.goal.plan.get_absolute_url()).content.decode()
    assert "bekräftad som exempel i demon" in plan_page
    assert "förslag ur texten, ej bekräftat" not in plan_page


def test_every_effektmal_shows_an_assessment_with_its_reason(demo_with_indicators, client):
    from uppsikt.plans.models import Goal

    goals = Goal.objects.filter(
        plan__unit__organisation__code="0018", plan__year=2023, kind="effektmal"
    )
    assert goals.count() >= 15
    for goal in goals:
        assessment = goal.assessments.get(period="2023")
        assert assessment.proposed_reason, goal
        if assessment.proposed_status == "ej_bedombar":
            # No automatic proposal: an example decision by no person, labelled.
            assert assessment.is_example_decision, goal
            assert assessment.decided_status in ("uppfyllt", "delvis_uppfyllt")
            assert assessment.comment.startswith("Exempel: ")
            assert assessment.decided_by is None and assessment.decided_at.year == 2024
        else:  # proposals stay for a person to decide
            assert assessment.decided_status is None, goal
    examples = Assessment.objects.filter(comment__startswith="Exempel: ", period="2023")
    assert examples.count() >= 2
    example = examples.select_related("goal").first()
    html = client.get(f"/indikatorer/mal/{example.goal.pk}/2023/").content.decode()
    assert "Ingen person: exempelbedömning i demon" in html and "Exempel: En person" in html
    plan_html = client.get(example.goal.plan.get_absolute_url()).content.decode()
    assert "exempelbedömning i demon" in plan_html


def test_example_decisions_are_stable_and_keep_real_ones(demo_with_indicators):
    from uppsikt.indicators.actions import decide_assessment

    from .builders import user_with_role

    before = dict(Assessment.objects.values_list("pk", "decided_status"))
    real = Assessment.objects.filter(comment__startswith="Exempel: ", period="2023").first()
    decide_assessment(
        real, actor=user_with_role("planerare"), status="ej_uppfyllt", comment="Inget gjort."
    )
    load_demo_indicators()
    after = dict(Assessment.objects.values_list("pk", "decided_status"))
    assert after == {**before, real.pk: "ej_uppfyllt"}


def test_demo_series_are_smooth_and_the_gender_gap_keeps_its_sign(demo_with_indicators):
    values = _by_key()
    series = defaultdict(list)
    for (unit, key, code, period), cells in sorted(values.items()):
        series[(unit, key, code)].append((int(period), cells))
    checked = 0
    for (unit, key, code), rows in series.items():
        rows.sort(key=lambda row: row[0])
        totals = [cells["T"] for _year, cells in rows]
        for before, after in pairwise(totals):
            if unit == "mnkr":
                assert abs(after - before) <= 12, (key, code, totals)
            else:  # at most about 4,5 % a year: trend up to 2,5 % and ±1 % per year
                assert abs(after - before) <= abs(before) * Decimal("0.05"), (key, code, totals)
        gaps = [cells["K"] - cells["M"] for _year, cells in rows if "K" in cells]
        if gaps:
            assert all(gap > 0 for gap in gaps) or all(gap < 0 for gap in gaps), (key, code, gaps)
            checked += 1
    assert checked >= 4 * 22  # four comparable definitions per kön × Riket and 21 regions


@given(
    st.text(min_size=1, max_size=12),
    st.sampled_from(["antal", "procent", "index"]),
    st.lists(
        st.tuples(
            st.sampled_from(["0000", "0010", "0018", "0025"]),
            st.integers(2019, 2023),
            st.decimals(min_value=5, max_value=99, places=1),
        ),
        min_size=2,
        max_size=10,
    ),
)
def test_gender_gap_sign_is_fixed_per_definition(key, unit, cells):
    from uppsikt.indicators.demo import Spec, gender_spread

    spec = Spec("x", key, "x", unit)
    signs = set()
    for code, year, total in cells:
        spread = gender_spread(spec, code, year)
        assert 0.012 <= abs(spread) <= 0.072
        if unit == "antal":
            total = total.quantize(Decimal(1)) * 100
        women, men = split_by_gender(unit, total, spread)
        assert women != men
        signs.add(women > men)
    assert len(signs) == 1
