"""Figures as Swedish plan documents print them: "1 234,5", "-12,3", "−12", "– 7", "(12)".

Reading one figure is ``lib.numbers.parse_number`` (spaces between thousands, a decimal
comma, any minus sign); this adds the accountants' parentheses for a negative figure and
splitting a line of figures whose thousands are separated by the same spaces as its columns
("-1 190 -1112 -1 134" into three figures when the table has three columns).
"""

from __future__ import annotations

import re
from decimal import Decimal

from uppsikt.lib.numbers import NumberError, parse_number

UNIT_WORDS = {
    "kr": "kr",
    "kronor": "kr",
    "tkr": "tkr",
    "tusen kronor": "tkr",
    "tusentals kronor": "tkr",
    "mnkr": "mnkr",
    "mkr": "mnkr",
    "mn kr": "mnkr",
    "miljoner kronor": "mnkr",
    "miljoner": "mnkr",
}
_UNIT = re.compile(
    r"(?:belopp\s+i|i|\()\s*(?P<unit>tusentals kronor|tusen kronor|miljoner kronor|mn kr|"
    r"mnkr|mkr|tkr|kronor|kr)\b\)?",
    re.IGNORECASE,
)


def table_unit(text: str) -> str | None:
    """The unit a table's header or caption names ("Belopp i mnkr", "(tkr)"), or None."""
    match = _UNIT.search(text)
    return UNIT_WORDS[match["unit"].lower()] if match else None


def parse_figure(text: str) -> Decimal:
    """One figure; "(12)" is −12. Raises ``NumberError`` (Swedish) for anything else."""
    cleaned = text.strip()
    if cleaned.startswith("(") and cleaned.endswith(")"):
        return -parse_number(cleaned[1:-1])
    return parse_number(cleaned)


def is_figure(text: str) -> bool:
    try:
        parse_figure(text)
    except NumberError:
        return False
    return True


_TOKEN = re.compile(r"^[-−–(]?\d[\d,]*\)?$")
_SIGN = ("-", "−", "–", "(")


def figure_tokens(text: str) -> tuple[str, list[str]]:
    """A line split into its label and the tokens of its trailing figures."""
    tokens = text.split()
    tail: list[str] = []
    while tokens and _TOKEN.match(tokens[-1]):
        tail.insert(0, tokens.pop())
    # A lone sign before the first figure ("– 7") belongs to it.
    while tokens and tokens[-1] in ("-", "−", "–") and tail:
        tail[0] = tokens.pop() + tail[0]
    return " ".join(tokens), tail


def split_figures(tokens: list[str], columns: int) -> list[Decimal] | None:
    """The tokens read as exactly ``columns`` figures, or None when they cannot be.

    A signed token always starts a figure; an unsigned group of three digits may continue
    the figure before it ("1 183"). Where several readings fit, the one joining groups to
    the left (the way thousands are written) is taken.
    """
    found = _split(tokens, columns)
    return None if found is None else [parse_figure(" ".join(group)) for group in found]


def _split(tokens: list[str], columns: int) -> list[list[str]] | None:
    if columns == 0:
        return [] if not tokens else None
    if not tokens:
        return None
    # The first figure takes tokens[0] and as many following 3-digit groups as leave room.
    for length in range(len(tokens), 0, -1):
        head = tokens[:length]
        if not _one_figure(head):
            continue
        rest = _split(tokens[length:], columns - 1)
        if rest is not None:
            return [head, *rest]
    return None


def _one_figure(group: list[str]) -> bool:
    if len(group) > 1:
        first, *more = group
        digits = first.lstrip("".join(_SIGN))
        if not digits.isdigit() or len(digits) > 3:
            return False
        for index, part in enumerate(more):
            last = index == len(more) - 1
            body = part.rstrip(")") if last else part
            whole = body.split(",")[0] if last else body
            if not (len(whole) == 3 and whole.isdigit()) or (not last and "," in part):
                return False
    return is_figure(" ".join(group))
