"""Writing a ``SieFile`` as an SIE 4 file: PC8 (code page 437), CRLF, posts in the order the
specification prescribes (flag, identification, chart of accounts, balances).

Uppsikt uses it to write its example ledger (``uppsikt write_example_sie``); the reader
reads back exactly what it wrote.
"""

import zlib
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .model import Balance, SieFile
from .tokens import has_control_character, quote, tokenize


class SieWriteError(ValueError):
    """A value that cannot be written in an SIE file (message in Swedish)."""


def _text(value: str) -> str:
    if has_control_character(value):
        raise SieWriteError(_("”%(v)s” innehåller ett styrtecken") % {"v": value})
    try:
        value.encode("cp437")
    except UnicodeEncodeError as exc:
        raise SieWriteError(
            _("”%(v)s” innehåller tecknet ”%(c)s”, som inte finns i PC8 (CP437)")
            % {"v": value, "c": value[exc.start]}
        ) from None
    return quote(value)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _objects(balance: Balance) -> str:
    return "{" + " ".join(f"{dim} {_text(code)}" for dim, code in balance.objects) + "}"


def _posts(sie: SieFile) -> list[list[str]]:
    """Every post as its label and written fields."""
    posts: list[list[str]] = [
        ["#PROGRAM", _text(sie.program), _text(sie.program_version)],
        ["#FORMAT", "PC8"],
        ["#GEN", _date(sie.generated or timezone.localdate())],
        ["#SIETYP", str(sie.sie_type)],
    ]
    if sie.comment:
        posts.append(["#PROSA", _text(sie.comment)])
    posts.append(["#FNAMN", _text(sie.company_name)])
    if sie.org_number:
        posts.append(["#ORGNR", sie.org_number])
    for index in sorted(sie.fiscal_years, reverse=True):
        start, end = sie.fiscal_years[index]
        posts.append(["#RAR", str(index), _date(start), _date(end)])
    if sie.covers_to:
        posts.append(["#OMFATTN", _date(sie.covers_to)])
    posts.append(["#VALUTA", sie.currency])
    for account in sorted(sie.accounts):
        posts.append(["#KONTO", str(account), _text(sie.accounts[account])])
    for dimension in sorted(sie.dimensions):
        posts.append(["#DIM", str(dimension), _text(sie.dimensions[dimension])])
    for (dimension, code), name in sorted(sie.objects.items()):
        posts.append(["#OBJEKT", str(dimension), _text(code), _text(name)])
    for balance in sie.results:
        amount = _amount(balance.amount)
        posts.append(["#RES", str(balance.year_index), str(balance.account), amount])
    for label, balances in (("#PSALDO", sie.period_balances), ("#PBUDGET", sie.period_budgets)):
        for b in balances:
            period = b.period.replace("-", "")
            fields = [str(b.year_index), period, str(b.account), _objects(b), _amount(b.amount)]
            posts.append([label, *fields])
    return posts


def write_sie(sie: SieFile, *, checksum: bool = False) -> bytes:
    """The file as bytes. With ``checksum`` the posts are enclosed in #KSUMMA posts."""
    posts = _posts(sie)
    lines = ["#FLAGGA 0"]
    if checksum:
        lines.append("#KSUMMA")
    crc = 0
    for post in posts:
        lines.append(" ".join(post))
        if checksum:
            crc = zlib.crc32(_checksum_text(post).encode("cp437"), crc)
    if checksum:
        lines.append(f"#KSUMMA {crc & 0xFFFFFFFF}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def _checksum_text(post: list[str]) -> str:
    """The characters the checksum covers: the label and the fields, without the spaces
    between them, the quotes around them or the braces around object lists."""
    out = []
    for field in tokenize(" ".join(post)):
        out.extend(field if isinstance(field, list) else [field])
    return "".join(out)
