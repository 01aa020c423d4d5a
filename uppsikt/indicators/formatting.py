"""Numbers the Swedish way: decimal comma, a no-break space between thousands, unit after.

>>> format_number(Decimal("1234.5"))
'1\\xa0234,5'
>>> format_value(Decimal("74.1"), "procent")
'74,1\\xa0%'
"""

from decimal import Decimal
from functools import lru_cache
from html import escape

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from uppsikt.lib import numbers
from uppsikt.lib.numbers import NBSP


def format_number(value: Decimal | int | float, decimals: int = 1) -> str:
    """``value`` rounded half up to exactly ``decimals`` places (``lib.numbers``' form;
    indicator data also comes as ints and floats)."""
    return numbers.format_number(_decimal(value), decimals)


def _decimal(value: Decimal | int | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def unit_suffix(unit: str) -> str:
    """What follows a number of ``unit`` (an ``IndicatorDefinition.Unit`` value)."""
    return _suffixes(get_language())(unit)


@lru_cache(maxsize=16)
def _suffixes(language: str | None):
    # Translated once per language: long tables format thousands of values.
    table = {
        "procent": "%",
        "andel": "%",
        "kronor": _("kr"),
        "mnkr": _("mnkr"),
        "dagar": _("dagar"),
    }
    return lambda unit: table.get(unit, "")


WHOLE_UNITS = {"antal", "kronor"}


def format_value(value: Decimal | None, unit: str = "", decimals: int | None = None) -> str:
    """``value`` with its unit; counts and kronor without decimals, the rest with one."""
    return value_formatter(unit, decimals)(value)


def value_formatter(unit: str = "", decimals: int | None = None, *, html: bool = False):
    """``format_value`` for many values of one unit: the unit's words looked up once (a
    table of every organisation formats a thousand values).

    With ``html`` the text is ready for markup: the unit is escaped, once; the number is
    digits, separators and signs, which need no escaping.
    """
    if decimals is None:
        decimals = 0 if unit in WHOLE_UNITS else 1
    suffix = escape(unit_suffix(unit)) if html else unit_suffix(unit)
    tail = f"{NBSP}{suffix}" if suffix else ""
    number = numbers.number_formatter(decimals)

    def formatted(value: Decimal | None) -> str:
        if value is None:
            return "–"
        return number(_decimal(value)) + tail

    return formatted


def format_gap(gap: Decimal | str | None, unit: str = "") -> str:
    """A difference with its sign; shares in procentenheter: ``+2,5 procentenheter``."""
    if gap is None:
        return "–"
    gap = Decimal(str(gap))
    sign = "+" if gap > 0 else ""
    if unit in ("procent", "andel"):
        return f"{sign}{format_number(gap)}{NBSP}" + _("procentenheter")
    return sign + format_value(gap, unit)
