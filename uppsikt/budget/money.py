"""Money in Swedish: amounts are ``Decimal`` kronor, shown as kr, tkr or mnkr.

Numbers are formatted and read by ``lib.numbers`` (NBSP thousands, decimal comma, U+2212
minus, half-up rounding); this module adds the units.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from uppsikt.lib.numbers import (
    MINUS,
    NBSP,
    format_exact,
    format_for_file,
    format_number,
    parse_number,
    round_half_up,
)
from uppsikt.lib.numbers import NumberError as MoneyError

__all__ = [
    "MINUS",
    "NBSP",
    "UNITS",
    "MoneyError",
    "format_exact",
    "format_for_file",
    "format_money",
    "format_number",
    "from_unit",
    "parse_money",
    "parse_number",
    "round_half_up",
    "to_unit",
]

UNITS: dict[str, Decimal] = {
    "kr": Decimal(1),
    "tkr": Decimal(1_000),
    "mnkr": Decimal(1_000_000),
}


def to_unit(amount: Decimal, unit: str) -> Decimal:
    """Kronor expressed in ``unit`` (exact, not rounded)."""
    return amount / UNITS[unit]


def from_unit(value: Decimal, unit: str) -> Decimal:
    """A figure written in ``unit`` as kronor."""
    return value * UNITS[unit]


def format_money(amount: Decimal, unit: str = "mnkr", decimals: int = 0) -> str:
    """Kronor shown in ``unit``: ``format_money(Decimal("-2754000000"), "mnkr")`` → ``"−2 754"``."""
    return format_number(to_unit(amount, unit), decimals)


def parse_money(text: str | int | Decimal, unit: str = "kr") -> Decimal:
    """A Swedish number written in ``unit``, as kronor: ``parse_money("-2 754", "mnkr")``."""
    if unit not in UNITS:
        raise MoneyError(_("Okänd enhet ”%(unit)s” (kr, tkr eller mnkr).") % {"unit": unit})
    return from_unit(parse_number(text), unit)
