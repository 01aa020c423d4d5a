"""The rules of internal control as plain functions: the scale, decisions, the samlad proposal."""

import doctest

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.control import heatmap, rules, scale
from uppsikt.control.heatmap import heat_map
from uppsikt.control.rules import decision_problem, propose_overall
from uppsikt.control.scale import DEFAULT_SCALE, Level, Scale, validate_scale
from uppsikt.control.tabular import CellError, parse_reported_in, parse_requirements, parse_step


@st.composite
def scales(draw):
    rows = draw(st.integers(2, 10))
    cols = draw(st.integers(2, 10))
    top = rows * cols
    medium = draw(st.integers(2, top - 1))
    high = draw(st.integers(medium + 1, top))
    return Scale(
        tuple(f"S{i}" for i in range(1, rows + 1)),
        tuple(f"K{i}" for i in range(1, cols + 1)),
        medium,
        high,
    )


@given(scales(), st.data())
def test_score_is_likelihood_times_consequence_within_the_scale(scale_, data):
    likelihood = data.draw(st.integers(1, scale_.likelihood_steps))
    consequence = data.draw(st.integers(1, scale_.consequence_steps))
    score = scale_.score(likelihood, consequence)
    assert score == likelihood * consequence
    assert 1 <= score <= scale_.max_score
    assert (
        validate_scale(
            list(scale_.likelihood_labels),
            list(scale_.consequence_labels),
            scale_.medium_from,
            scale_.high_from,
        )
        == {}
    )


@given(scales(), st.integers(-5, 15), st.integers(-5, 15))
def test_a_step_outside_the_scale_is_refused(scale_, likelihood, consequence):
    inside = (
        1 <= likelihood <= scale_.likelihood_steps and 1 <= consequence <= scale_.consequence_steps
    )
    if inside:
        assert scale_.score(likelihood, consequence) == likelihood * consequence
    else:
        with pytest.raises(ValidationError) as error:
            scale_.score(likelihood, consequence)
        assert set(error.value.message_dict) <= {"likelihood", "consequence"}


def test_half_an_assessment_is_refused_and_none_is_not_assessed():
    assert DEFAULT_SCALE.score(None, None) is None
    with pytest.raises(ValidationError, match="både sannolikhet och konsekvens"):
        DEFAULT_SCALE.score(3, None)
    with pytest.raises(ValidationError):
        DEFAULT_SCALE.score(True, 2)  # a boolean is not a step


@given(scales())
def test_levels_rise_with_the_score_and_cover_every_score(scale_):
    order = [Level.LOW, Level.MEDIUM, Level.HIGH]
    levels = [scale_.level(score) for score in range(1, scale_.max_score + 1)]
    assert [order.index(level) for level in levels] == sorted(
        order.index(level) for level in levels
    )
    assert scale_.level(scale_.medium_from) == Level.MEDIUM
    assert scale_.level(scale_.high_from) == Level.HIGH
    assert scale_.level(scale_.medium_from - 1) == Level.LOW
    assert scale_.level(None) is None
    covered = [(low, high) for _level, low, high in scale_.level_ranges()]
    assert covered[0][0] == 1 and covered[-1][1] == scale_.max_score


def test_default_scale_is_four_by_four_with_swedish_labels():
    assert DEFAULT_SCALE.likelihood_labels[0] == "Osannolik"
    assert DEFAULT_SCALE.consequence_labels[-1] == "Mycket allvarlig"
    assert [DEFAULT_SCALE.level(s).value for s in (1, 3, 4, 8, 9, 16)] == [
        "lag",
        "lag",
        "medel",
        "medel",
        "hog",
        "hog",
    ]


@pytest.mark.parametrize(
    ("likelihood", "consequence", "medium", "high", "field"),
    [
        (["En"], ["A", "B"], 2, 3, "likelihood_labels"),
        (["En", "en"], ["A", "B"], 2, 3, "likelihood_labels"),
        (["En", " "], ["A", "B"], 2, 3, "likelihood_labels"),
        (["En", "Två"], ["A", "B"], 3, 3, "high_from"),
        (["En", "Två"], ["A", "B"], 2, 5, "high_from"),
    ],
)
def test_a_bad_scale_is_named_by_field(likelihood, consequence, medium, high, field):
    assert field in validate_scale(likelihood, consequence, medium, high)


def test_decision_rule():
    assert decision_problem(None, None, 0) is None
    assert "minst en åtgärd" in decision_problem("ej_accepterad", 9, 0)
    assert decision_problem("ej_accepterad", 9, 1) is None
    assert decision_problem("accepterad", 2, 0) is None
    assert "Bedöm sannolikhet" in decision_problem("accepterad", None, 3)


LEVELS = ["tillracklig", "delvis_tillracklig", "ej_tillracklig"]


@given(st.lists(st.sampled_from([*LEVELS, None]), min_size=1, max_size=12))
def test_proposal_never_claims_sufficiency_without_every_bedomning(levels):
    expected = list(range(len(levels)))
    judgements = {i: level for i, level in enumerate(levels) if level is not None}
    proposal = propose_overall(expected, judgements)
    if not judgements:
        assert proposal.level is None
    elif proposal.level == "tillracklig":
        assert all(level == "tillracklig" for level in levels)
    else:
        assert proposal.level in LEVELS
    if all(level == "tillracklig" for level in levels):
        assert proposal.level == "tillracklig"


@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=10), st.data())
def test_a_worse_unit_never_gives_a_better_proposal(levels, data):
    index = data.draw(st.integers(0, len(levels) - 1))
    worse = list(levels)
    worse[index] = LEVELS[min(LEVELS.index(levels[index]) + 1, 2)]
    expected = list(range(len(levels)))
    before = propose_overall(expected, dict(enumerate(levels))).level
    after = propose_overall(expected, dict(enumerate(worse))).level
    assert rules.SEVERITY[after] >= rules.SEVERITY[before]


def test_majority_insufficient_gives_insufficient():
    proposal = propose_overall(
        [1, 2, 3], {1: "ej_tillracklig", 2: "ej_tillracklig", 3: "tillracklig"}
    )
    assert proposal.level == "ej_tillracklig" and "2 av 3" in proposal.reason


def test_heat_map_counts_pairs_and_unassessed():
    hm = heat_map([(4, 4), (4, 4), (1, 2), (None, None)], DEFAULT_SCALE)
    cells = {(c.likelihood, c.consequence): c for row in hm.rows for c in row.cells}
    assert cells[(4, 4)].count == 2 and cells[(4, 4)].level == Level.HIGH
    assert cells[(1, 2)].count == 1 and cells[(1, 1)].count == 0
    assert hm.total == 4 and hm.unassessed == 1
    assert [row.axis.step for row in hm.rows] == [4, 3, 2, 1]
    assert dict(hm.level_counts()) == {Level.HIGH: 2, Level.MEDIUM: 0, Level.LOW: 1}


@given(st.text(max_size=8))
def test_step_parser_accepts_numbers_and_labels_only(text):
    try:
        step = parse_step(text, DEFAULT_SCALE.likelihood_labels, "sannolikhet")
    except CellError:
        return
    assert step is None or 1 <= step <= 4


def test_cell_parsers():
    labels = DEFAULT_SCALE.likelihood_labels
    assert parse_step("Mycket sannolik", labels, "sannolikhet") == 4
    assert parse_step(3.0, labels, "sannolikhet") == 3
    with pytest.raises(CellError, match="heltal"):
        parse_step("2,5", labels, "sannolikhet")
    with pytest.raises(CellError, match="utanför skalan"):
        parse_step(5, labels, "sannolikhet")
    assert parse_requirements("c, d och e") == ["c", "d", "e"]
    assert parse_requirements("E) d)") == ["d", "e"]
    with pytest.raises(CellError, match="Okänt krav"):
        parse_requirements("c, f")
    assert parse_reported_in("Verksamhetsberättelse och delårsrapport") == [
        "delarsrapport",
        "verksamhetsberattelse",
    ]
    with pytest.raises(CellError, match="Okänt uppföljningstillfälle"):
        parse_reported_in("kvartalsrapport")


@pytest.mark.parametrize("module", [scale, rules, heatmap])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
