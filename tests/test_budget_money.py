"""Swedish money formatting and parsing (uppsikt.budget.money)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.budget.money import (
    MINUS,
    NBSP,
    MoneyError,
    format_for_file,
    format_money,
    format_number,
    parse_money,
    parse_number,
    round_half_up,
)


def test_format_mnkr_with_nbsp_and_real_minus():
    assert format_money(Decimal("-2754000000"), "mnkr") == f"{MINUS}2{NBSP}754"
    assert format_money(Decimal("24400000"), "mnkr", 1) == "24,4"
    assert format_money(Decimal("1183000000"), "tkr") == f"1{NBSP}183{NBSP}000"
    assert format_money(Decimal("-1234567.5"), "kr", 2) == f"{MINUS}1{NBSP}234{NBSP}567,50"


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        ("0.5", 0, "1"),
        ("-0.5", 0, f"{MINUS}1"),
        ("2.45", 1, "2,5"),
        ("-2.45", 1, f"{MINUS}2,5"),
        ("1.4999", 0, "1"),
        ("-0.4", 0, "0"),  # never "−0"
        ("999.5", 0, f"1{NBSP}000"),
    ],
)
def test_rounding_is_half_up(value, decimals, shown):
    assert format_number(Decimal(value), decimals) == shown


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("74,1", "74.1"),
        ("1 183", "1183"),
        (f"1{NBSP}183", "1183"),
        (f"{MINUS}2,5", "-2.5"),
        ("-2 754", "-2754"),
        ("-1112", "-1112"),
        ("0", "0"),
        (12, "12"),
    ],
)
def test_parse_swedish_numbers(text, value):
    assert parse_number(text) == Decimal(value)


def test_parse_money_scales_to_kronor():
    assert parse_money("-2 754", "mnkr") == Decimal("-2754000000")
    assert parse_money("14,4", "mnkr") == Decimal("14400000")


@pytest.mark.parametrize("text", ["", "abc", "1.5", "1 23", "12 3456", "1,2,3", "--1", "1,", True])
def test_parse_rejects_with_swedish_message(text):
    with pytest.raises(MoneyError) as excinfo:
        parse_number(text)
    message = str(excinfo.value).lower()
    assert "tal" in message or "decimalkomma" in message


def test_parse_names_the_text_and_suggests_comma():
    with pytest.raises(MoneyError, match=r"”1\.5”: använd decimalkomma"):
        parse_number("1.5")


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=4), st.integers(0, 3))
def test_format_then_parse_gives_the_rounded_value(value, decimals):
    text = format_number(value, decimals)
    assert "-" not in text and " " not in text  # only U+2212 and NBSP
    assert parse_number(text) == round_half_up(value, decimals)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_numbers_for_files_are_plain_ascii_and_read_back_exactly(value):
    """What the import template writes: Excel reads it as a number, the importer reads it
    back to the same Decimal."""
    text = format_for_file(value)
    assert text.isascii() and " " not in text and "." not in text
    assert text.startswith("-") == (value < 0)
    assert parse_number(text) == value


def test_the_importer_reads_the_pages_minus_and_spaces():
    assert parse_number("\u22122\u00a0754,5") == Decimal("-2754.5")
    assert parse_number("\u2212\u00a02\u202f754") == Decimal("-2754")
    assert parse_number("\u00a0-74,1\u00a0") == Decimal("-74.1")


@given(st.decimals(min_value=-(10**15), max_value=10**15, places=4), st.integers(0, 3))
def test_a_number_formatter_writes_what_format_number_writes(value, decimals):
    from uppsikt.lib.numbers import number_formatter

    text = number_formatter(decimals)(value)
    assert text == format_number(value, decimals)
    assert parse_number(text) == round_half_up(value, decimals)
