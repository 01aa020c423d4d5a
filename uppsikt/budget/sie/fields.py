"""Reading the fields of an SIE post: numbers, dates, periods, amounts, object lists, and
the fast path for well-formed #PSALDO and #PBUDGET lines. Errors are ``Invalid`` with a
Swedish reason; the reader adds the line number."""

import re
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .model import Balance, Objects
from .tokens import Field

_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
_INTEGER = re.compile(r"-?\d+")
_DATE = re.compile(r"\d{8}")
_PERIOD = re.compile(r"\d{4}(0[1-9]|1[0-2])")
# A well-formed #PSALDO or #PBUDGET line, read without the general tokenizer (most of a
# big file); anything else takes the general path, which names what is wrong.
_PERIOD_POST = re.compile(
    r"#(?:PSALDO|PBUDGET)[ \t]+(-?\d+)[ \t]+(\d{4}(?:0[1-9]|1[0-2]))[ \t]+(\d+)[ \t]*"
    r'\{((?:[ \t]*(?:"[^"\\]*"|[^ \t"{}]+))*)[ \t]*\}[ \t]*(-?\d+(?:\.\d{1,2})?)(?:[ \t].*)?$',
    re.IGNORECASE,
)
_OBJECT_PAIR = re.compile(r'[ \t]*(\d+)[ \t]+(?:"([^"\\]*)"|([^ \t"{}]+))')


class Invalid(ValueError):
    """A field that cannot be read; caught per post and reported with its line."""


def read_period_balance(number: int, args: list[Field]) -> Balance:
    return Balance(
        year_index=read_integer(args[0], gettext_noop("årsnr")),
        period=read_period(args[1]),
        account=read_account(args[2]),
        objects=read_objects(args[3]),
        amount=read_amount(args[4]),
        line=number,
    )


def fast_period_balance(line: str, number: int) -> Balance | None:
    match = _PERIOD_POST.match(line)
    if match is None:
        return None
    year_index, period, account, objects, amount = match.groups()
    pairs = []
    rest = objects
    for pair in _OBJECT_PAIR.finditer(objects):
        pairs.append((int(pair[1]), pair[2] if pair[2] is not None else pair[3]))
        rest = rest.replace(pair[0], "", 1)
    if rest.strip():
        return None  # an odd object list: let the general path say what is wrong
    return Balance(
        year_index=int(year_index),
        account=int(account),
        amount=Decimal(amount),
        period=f"{period[:4]}-{period[4:]}",
        objects=tuple(pairs),
        line=number,
    )


def read_text(value: Field, what: str) -> str:
    if isinstance(value, list):
        raise Invalid(_("%(what)s ska vara en text, inte en objektlista") % {"what": _(what)})
    return value


def read_integer(value: Field, what: str) -> int:
    text = read_text(value, what)
    if not _INTEGER.fullmatch(text):
        raise Invalid(
            _("%(what)s ska vara ett heltal, inte ”%(v)s”") % {"what": _(what), "v": text}
        )
    return int(text)


def read_account(value: Field) -> int:
    text = read_text(value, gettext_noop("kontot"))
    if not text.isdigit() or not text.isascii():
        raise Invalid(_("kontonumret ska vara numeriskt, inte ”%(v)s”") % {"v": text})
    return int(text)


def read_date(value: Field) -> date:
    text = read_text(value, gettext_noop("datumet"))
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise Invalid(_("”%(v)s” är inget datum på formen ÅÅÅÅMMDD") % {"v": text}) from None


def read_period(value: Field) -> str:
    text = read_text(value, gettext_noop("perioden"))
    if not _PERIOD.fullmatch(text):
        raise Invalid(_("”%(v)s” är ingen period på formen ÅÅÅÅMM") % {"v": text})
    return f"{text[:4]}-{text[4:]}"


def read_amount(value: Field) -> Decimal:
    text = read_text(value, gettext_noop("beloppet"))
    if not _AMOUNT.match(text):
        raise Invalid(
            _(
                "”%(v)s” är inget belopp; SIE skriver belopp med punkt och högst två "
                "decimaler, t.ex. -1250.50"
            )
            % {"v": text}
        )
    return Decimal(text)


def read_objects(value: Field) -> Objects:
    if not isinstance(value, list):
        raise Invalid(_("objektlistan saknas; skriv {} för kontots totalsaldo"))
    if len(value) % 2:
        raise Invalid(_("objektlistan ska bestå av par: dimensionsnummer och objektkod"))
    pairs = []
    for i in range(0, len(value), 2):
        pairs.append((read_integer(value[i], gettext_noop("dimensionsnumret")), value[i + 1]))
    return tuple(pairs)
