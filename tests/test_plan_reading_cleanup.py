"""Property tests for the text repairs every plan-document reader uses (reading.cleanup)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.proposals.reading import cleanup

LOWER = "abcdefghijklmnopqrstuvwxyzåäöé"
words = st.text(alphabet=LOWER, min_size=4, max_size=16)
capital_words = st.builds(
    lambda first, rest: first + rest, st.sampled_from("ABCDEFGHIJKLMNOPRSTUVÅÄÖ"), words
)


@given(words, st.data())
def test_a_word_hyphenated_at_a_line_end_is_rejoined(word, data):
    cut = data.draw(st.integers(min_value=2, max_value=len(word) - 1))
    rest = data.draw(st.text(alphabet=LOWER + " ", max_size=30))
    joined = cleanup.join_lines(f"Det {word[:cut]}-", word[cut:] + rest)
    assert joined == f"Det {word}{rest}".rstrip() or joined == f"Det {word}{rest}"


@given(words, st.data())
def test_a_typesetters_hyphen_is_always_dropped(word, data):
    cut = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    hyphen = data.draw(st.sampled_from(["\u00ad", "\u2010"]))
    assert cleanup.join_lines(word[:cut] + hyphen, word[cut:]) == word


@given(words, st.sampled_from(sorted(cleanup.CONJUNCTIONS - {"resp."})), words)
def test_a_compounds_shared_ending_keeps_hyphen_and_space(first, conjunction, second):
    joined = cleanup.join_lines(f"{first}-", f"{conjunction} {second}")
    assert joined == f"{first}- {conjunction} {second}"


@given(st.integers(1900, 2100), st.integers(0, 99))
def test_a_hyphen_between_figures_is_kept(year, later):
    assert cleanup.join_lines(f"åren {year}-", f"{later:02d}") == f"åren {year}-{later:02d}"


@given(st.sampled_from(["e", "E", "IT", "KL", "ST"]), words)
def test_a_hyphen_after_a_letter_or_an_abbreviation_is_kept(prefix, rest):
    assert cleanup.join_lines(f"om {prefix}-", rest) == f"om {prefix}-{rest}"


@given(
    st.lists(
        st.text(alphabet=LOWER + " ,.", min_size=1, max_size=40).filter(
            lambda line: line.strip()[:1].isalpha()
        ),
        min_size=1,
        max_size=6,
    )
)
def test_lines_without_hyphens_are_joined_with_one_space(lines):
    lines = [line.replace("-", "") for line in lines]
    assert cleanup.join_all(lines) == " ".join(" ".join(lines).split())


@given(words, st.sampled_from(list(",.;:)")), words)
def test_a_line_starting_with_punctuation_joins_the_word_before(word, mark, rest):
    assert cleanup.join_lines(f"ett {word}", f"{mark} {rest}") == f"ett {word}{mark} {rest}"


@given(st.sampled_from([*cleanup.BULLET_SIGNS, "-", "–", "*"]), capital_words)
def test_a_bullet_is_taken_off(sign, text):
    assert cleanup.split_bullet(f"{sign} {text}") == (True, text)


@given(st.integers(0, 99999))
def test_a_minus_figure_is_not_a_bullet(value):
    assert cleanup.split_bullet(f"-{value} -{value}")[0] is False


@given(st.lists(st.integers(1, 20), min_size=1, max_size=4), capital_words, st.booleans())
def test_a_decimal_number_is_split_off_a_heading(parts, title, stop):
    number = ".".join(str(p) for p in parts) + ("." if stop else "")
    assert cleanup.split_number(f"{number} {title} och mer") == (number, f"{title} och mer")
    assert cleanup.number_depth(number) == len(parts)


@given(
    st.sampled_from(["Mål", "Effektmål", "Delmål", "Strategi", "Uppdrag"]),
    st.integers(1, 99),
    st.sampled_from([":", " –", "."]),
    capital_words,
)
def test_a_labelled_number_is_split_off(label, value, mark, title):
    number = f"{label} {value}{mark}"
    assert cleanup.split_number(f"{number} {title}") == (number, title)


@given(st.sampled_from(["a)", "b)", "(c)", "A.", "B.", "I.", "IV.", "XII."]), capital_words)
def test_letters_and_roman_numerals_are_split_off(number, title):
    assert cleanup.split_number(f"{number} {title}") == (number, title)


@given(st.sampled_from(["I", "Vi", "Ett"]), words)
def test_a_word_is_not_a_number(first, rest):
    assert cleanup.split_number(f"{first} {rest}") == ("", f"{first} {rest}")


@given(st.integers(1, 300), st.integers(0, 300))
def test_page_numbers_are_recognised(page, more):
    total = page + more
    for line in (
        str(page),
        f"Sida {page} av {total}",
        f"- {page} -",
        f"Verksamhetsplan 2023 {page}({total})",
    ):
        assert cleanup.is_page_number(line)


@given(st.text(alphabet=string.ascii_letters + "åäö ", min_size=1, max_size=40).filter(str.strip))
def test_words_alone_are_not_page_numbers(text):
    assert not cleanup.is_page_number(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(capital_words, min_size=2, max_size=6, unique=True), min_size=3, max_size=8),
    capital_words,
)
def test_running_headers_and_page_numbers_are_dropped_and_body_kept(bodies, title):
    total = len(bodies)
    pages = [
        [f"{title} rapport", *body, f"Sida {n} av {total}"] for n, body in enumerate(bodies, 1)
    ]
    kept = cleanup.drop_running_lines(pages)
    seen = [line for body in bodies for line in body]
    for page, body in zip(kept, bodies, strict=True):
        assert [line for line in page if line not in body] == []
        # A body line is kept unless it recurs at page edges like a running header.
        assert all(line in page for line in body if seen.count(line) == 1)
