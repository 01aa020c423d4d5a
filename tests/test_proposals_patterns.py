"""The proposal's parsers: goal labels of the organisation's own levels in every numbering
style, list heads, heading numbers, Swedish figures and lines of figures."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.lib.numbers import NumberError, format_number
from uppsikt.proposals.propose import amounts, patterns
from uppsikt.proposals.propose.patterns import GoalWords

REGION = GoalWords(
    (("effektmal", "Effektmål", "Effektmål"), ("mal", "Mål", "Mål"),
     ("namndmal", "Nämndmål", "Nämndmål"))
)  # fmt: skip
KOMMUN = GoalWords(
    (("inriktning", "Inriktningsmål", "Inriktningsmål"),
     ("verksamhet", "Verksamhetsmål", "Verksamhetsmål"))
)  # fmt: skip
SEPARATORS = [".", ":", " –", " -", " —", ")"]
goal_text = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzåäö ,"), min_size=3, max_size=60
).map(lambda text: "Alla " + " ".join(text.split()) + ".")


@given(
    level=st.sampled_from(REGION.levels),
    number=st.one_of(st.integers(1, 99).map(str), st.sampled_from(list("ABCabc")), st.just("")),
    separator=st.sampled_from(SEPARATORS),
    text=goal_text,
)
def test_a_goal_label_is_read_in_every_numbering_style(level, number, separator, text):
    key, name, _plural = level
    written = f"{name} {number}{separator} {text}" if number else f"{name}{separator} {text}"
    label = patterns.goal_label(written, REGION)
    assert label is not None
    assert (label.level, label.number, label.text) == (key, number, text)


@given(level=st.sampled_from(KOMMUN.levels), number=st.integers(1, 20))
def test_the_organisations_own_level_names_are_the_goal_words(level, number):
    key, name, _plural = level
    assert patterns.goal_label(f"{name} {number}: Trygg skola.", KOMMUN).level == key
    # Another organisation's word is not a goal of this one.
    assert patterns.goal_label(f"Effektmål {number}: Trygg skola.", KOMMUN) is None


@pytest.mark.parametrize(
    "text",
    [
        "Målet för åren 2023 till 2025 är att genomföra budgeterad verksamhet.",
        "Mål för verksamheten beskrivs nedan.",
        "Målgrupp är i första hand de politiska organen.",
        "Mål i korthet",
        "Måltidsverksamheten ska utvecklas.",
        "Mål 2024 för verksamheten",
        "Mål 2024",
    ],
)
def test_ordinary_sentences_beginning_with_the_goal_word_are_not_goals(text):
    assert patterns.goal_label(text, REGION) is None


@given(
    word=st.sampled_from(["Indikator", "Indikatorer", "Mått", "Nyckeltal", "Målvärde"]),
    upper=st.booleans(),
    colon=st.booleans(),
)
def test_indicator_list_heads(word, upper, colon):
    written = (word.upper() if upper else word) + (":" if colon else "")
    assert patterns.list_head(written) == "indicator"
    assert patterns.list_head(f"{written} för skolan ska öka") is None


def test_other_list_heads_and_the_goal_levels_plural_alone():
    assert patterns.list_head("Aktiviteter") == "activity"
    assert patterns.list_head("Uppdrag:") == "assignment"
    assert patterns.goal_label("Nämndmål", REGION).text == ""
    assert patterns.inline_label("Uppdrag: Utred lokalerna.") == (
        "assignment",
        "",
        "Utred lokalerna.",
    )
    assert patterns.inline_label("Aktivitet 2 – Inför e-tjänst.") == (
        "activity",
        "2",
        "Inför e-tjänst.",
    )


@given(parts=st.lists(st.integers(1, 30), min_size=1, max_size=4), dot=st.booleans())
def test_heading_numbers_give_their_depth(parts, dot):
    number = ".".join(map(str, parts))
    assert patterns.heading_number(number + ("." if dot else "")) == (number, len(parts))
    assert patterns.split_heading_number(f"{number} Perspektiv: Resurs") == (
        number,
        "Perspektiv: Resurs",
    )


def test_a_year_is_not_a_heading_number():
    assert patterns.heading_number("2023") is None


@pytest.mark.parametrize(
    ("text", "role", "name"),
    [
        ("Perspektiv: Invånare och samhälle", "perspective", "Invånare och samhälle"),
        ("Perspektivet ekonomi", "perspective", "Ekonomi"),
        ("Medborgare", "perspective", "Medborgare"),
        ("Prioriterat område Digitalisering", "focus_area", "Digitalisering"),
        ("Fokusområde: Trygghet", "focus_area", "Trygghet"),
        ("Strategi: Hållbar utveckling", "strategy", "Hållbar utveckling"),
        ("Ekonomiskt utgångsläge", "section", "Ekonomiskt utgångsläge"),
    ],
)
def test_what_a_heading_opens(text, role, name):
    assert patterns.heading_role(text, ("Medborgare",)) == (role, name)


# -- Swedish figures ------------------------------------------------------------------------
amount = st.decimals(min_value=-(10**9), max_value=10**9, places=1, allow_nan=False)


@given(value=amount, style=st.sampled_from(["lib", "space", "hyphen", "en-dash", "paren"]))
def test_a_figure_is_read_the_swedish_way(value, style):
    written = format_number(value, 1)  # NBSP thousands, decimal comma, U+2212 minus
    if style == "space":
        written = written.replace("\u00a0", " ")
    elif style == "hyphen":
        written = written.replace("\u2212", "-").replace("\u00a0", " ")
    elif style == "en-dash":
        written = written.replace("\u2212", "–")
    elif style == "paren" and value < 0:
        written = "(" + written.lstrip("\u2212") + ")"
    assert amounts.parse_figure(written) == value


@pytest.mark.parametrize(
    "text", ["1.234", "12,3,4", "abc", "", "1 23", "(12", "-", "−", "()", ",5"]
)
def test_what_is_not_a_figure_is_refused_in_swedish(text):
    with pytest.raises(NumberError):
        amounts.parse_figure(text)


@given(values=st.lists(st.integers(-5_000_000, 5_000_000), min_size=1, max_size=6))
def test_a_line_of_signed_figures_splits_into_its_columns(values):
    """Thousands separated by the same spaces as the columns: a minus starts each figure."""
    negative = [-abs(value) - 1 for value in values]
    written = " ".join(format_number(Decimal(v)).replace("\u00a0", " ").replace("\u2212", "-")
                       for v in negative)  # fmt: skip
    label, tokens = amounts.figure_tokens(f"Hälsovalsenheten, varav {written}")
    assert label == "Hälsovalsenheten, varav"
    assert amounts.split_figures(tokens, len(values)) == [Decimal(v) for v in negative]


def test_a_line_that_cannot_have_the_columns_is_not_split():
    assert amounts.split_figures(["12", "13"], 3) is None
    assert amounts.split_figures(["14,4", "19,3", "19,2"], 3) == [
        Decimal("14.4"), Decimal("19.3"), Decimal("19.2"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "unit"),
    [("Belopp i mnkr", "mnkr"), ("Belopp i tkr", "tkr"), ("Driftbudget (tkr)", "tkr"),
     ("Belopp i miljoner kronor", "mnkr"), ("Budget 2024", None)],
)  # fmt: skip
def test_the_tables_unit(text, unit):
    assert amounts.table_unit(text) == unit
