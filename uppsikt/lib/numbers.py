"""Numbers in Swedish: a non-breaking space (U+00A0) between thousands, a decimal comma and
a real minus sign (U+2212); rounding is half-up (0,5 → 1, −0,5 → −1), as in printed budgets.

Budgets (``budget.money``), indicator values (``indicators.formatting``), reports and charts
all format and read numbers here.
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

NBSP = "\u00a0"
MINUS = "\u2212"
# Spaces and minus signs that people paste from documents and spreadsheets.
_SPACES = (" ", NBSP, "\u202f", "\u2009", "\u2007")
_MINUSES = ("-", MINUS, "\u2013")


class NumberError(ValueError):
    """A number that cannot be read; the message is Swedish and names the text."""


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}


def round_half_up(value: Decimal, decimals: int = 0) -> Decimal:
    return value.quantize(_quantum(decimals), rounding=ROUND_HALF_UP)


def _quantum(decimals: int) -> Decimal:
    return _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)


def format_number(value: Decimal, decimals: int = 0) -> str:
    """``Decimal("-2754.4")`` → ``"−2 754"`` (NBSP, decimal comma, U+2212).

    The one Swedish number form of the project.
    """
    return _written(round_half_up(value, decimals))


def number_formatter(decimals: int = 0) -> Callable[[Decimal], str]:
    """``format_number`` with ``decimals`` fixed, for many numbers (a table of every
    organisation formats about a thousand): the rounding step is looked up once."""
    quantum = _quantum(decimals)
    return lambda value: _written(value.quantize(quantum, rounding=ROUND_HALF_UP))


def _written(rounded: Decimal) -> str:
    # Python groups thousands with "," and writes "." for the decimal point: swap them.
    text = f"{abs(rounded):,f}".replace(",", NBSP).replace(".", ",")
    return MINUS + text if rounded < 0 else text  # never "−0": -0 is not < 0


def format_exact(value: Decimal) -> str:
    """A number with exactly the decimals it has, none lost: ``2,5``, ``1 000``, ``0,001234``."""
    return format_number(value, max(0, -int(value.normalize().as_tuple().exponent)))


def format_for_file(value: Decimal) -> str:
    """A number for a file people open in Excel and import again: exact decimals, a decimal
    comma, no thousands separator and an ASCII hyphen-minus (``-2754``, ``-74,1``).

    Excel with Swedish settings reads this as a number; the U+2212 minus and the
    non-breaking spaces of ``format_number`` would make it text. ``parse_number`` reads both.
    """
    places = max(0, -int(value.normalize().as_tuple().exponent))
    text = f"{round_half_up(value, places):f}".replace(".", ",")
    return "0" if value == 0 else text


def parse_number(text: object) -> Decimal:
    """Read a Swedish number: ``"74,1"``, ``"1 183"``, ``"−2,5"``, ``"-2 754"``.

    A thousands separator must be a space (any kind); a point is not accepted as either
    separator, since "1.183" is ambiguous between Swedish and English habits.
    """
    if isinstance(text, bool):
        raise NumberError(_("”%(text)s” är inte ett tal.") % {"text": text})
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    if not isinstance(text, str):
        raise NumberError(_("”%(text)s” är inte ett tal.") % {"text": text})
    cleaned = text.strip()
    if not cleaned:
        raise NumberError(_("Talet saknas."))
    negative = cleaned[0] in _MINUSES
    if negative:
        cleaned = cleaned[1:].lstrip()
    if "." in cleaned:
        raise NumberError(
            _("”%(text)s”: använd decimalkomma, inte punkt (t.ex. 74,1).") % {"text": text}
        )
    whole, comma, fraction = cleaned.partition(",")
    if not whole.strip():  # a sign or a comma alone ("-", ",5" is not Swedish either)
        raise NumberError(
            _("”%(text)s” är inte ett tal (skriv t.ex. −2 754 eller 74,1).") % {"text": text}
        )
    groups = whole.split()
    for space in _SPACES:
        groups = [part for group in groups for part in group.split(space)]
    valid_groups = all(part.isdigit() and part.isascii() for part in groups) and (
        len(groups) == 1 or (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))
    )
    valid_fraction = not comma or (fraction.isdigit() and fraction.isascii())
    if not groups or not valid_groups or not valid_fraction:
        raise NumberError(
            _("”%(text)s” är inte ett tal (skriv t.ex. −2 754 eller 74,1).") % {"text": text}
        )
    try:
        value = Decimal("".join(groups) + ("." + fraction if comma else ""))
    except InvalidOperation as exc:  # pragma: no cover - guarded above
        raise NumberError(_("”%(text)s” är inte ett tal.") % {"text": text}) from exc
    return -value if negative else value
