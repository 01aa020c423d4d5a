"""Reading SIE files (types 1–4) into a ``SieFile``, or rejecting them with every problem.

Every problem is named by its line number with a Swedish reason, and the whole file is read
before anything is rejected, so one run lists them all. What is checked:

- the encoding: SIE files are PC8 (IBM code page 437); a file saved as UTF-8 or
  Windows-1252 is recognised by its Swedish letters and refused, as are control characters;
- the structure: the file starts with #FLAGGA; #FORMAT is PC8; every post starts with a
  label; quotes and object lists close; the ``{`` … ``}`` blocks after #VER close (a file cut
  off in the middle is caught here or by the closing #KSUMMA);
- the fields of the posts this reader uses: numbers, dates (ÅÅÅÅMMDD), periods (ÅÅÅÅMM),
  amounts (a point before at most two decimals, minus sign first) and too few fields;
- references: an account in #PSALDO/#PBUDGET/#RES must be declared by #KONTO, an object by
  #OBJEKT (its dimension by #DIM, unless it is one of the reserved 1–19), a year index by #RAR,
  and a period must lie in its fiscal year;
- the checksum, when the file has #KSUMMA (CRC-32 as the specification describes).

Unknown labels and extra fields at the end of a post are ignored, as the specification
requires of a reading program.
"""

import re
import zlib

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from uppsikt.lib.limits import InputRefused, check_line_count
from uppsikt.lib.progress import Progress, no_progress

from .fields import (
    Invalid,
    fast_period_balance,
    read_account,
    read_amount,
    read_date,
    read_integer,
    read_period_balance,
    read_text,
)
from .model import Balance, SieFile
from .tokens import Field, TokenError, has_control_character, tokenize

RESERVED_DIMENSIONS = range(1, 20)  # 1 kostnadsställe, 2 kostnadsbärare, 6 projekt …
# Swedish letters where code page 437 puts them, and where Windows-1252 and Latin-1 do.
_CP437_LETTERS = re.compile(rb"[\x86\x84\x94\x8f\x8e\x99\x82\x90]")
_LATIN1_LETTERS = re.compile(rb"[\xe5\xe4\xf6\xc5\xc4\xd6\xe9\xc9]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
MAX_PROBLEMS = 500
# Posts this reader uses and how many fields each needs at least (after the label).
REQUIRED_FIELDS = {
    "#FLAGGA": 1,
    "#PROGRAM": 1,
    "#FORMAT": 1,
    "#GEN": 1,
    "#SIETYP": 1,
    "#FNAMN": 1,
    "#ORGNR": 1,
    "#VALUTA": 1,
    "#PROSA": 1,
    "#RAR": 3,
    "#OMFATTN": 1,
    "#KONTO": 2,
    "#DIM": 2,
    "#UNDERDIM": 3,
    "#OBJEKT": 3,
    "#RES": 3,
    "#PSALDO": 5,
    "#PBUDGET": 5,
}
FIELD_NAMES = {
    "#RAR": gettext_noop("årsnr, startdatum och slutdatum"),
    "#KONTO": gettext_noop("kontonummer och kontonamn"),
    "#DIM": gettext_noop("dimensionsnummer och namn"),
    "#UNDERDIM": gettext_noop("dimensionsnummer, namn och överordnad dimension"),
    "#OBJEKT": gettext_noop("dimensionsnummer, objektkod och objektnamn"),
    "#RES": gettext_noop("årsnr, konto och belopp"),
    "#PSALDO": gettext_noop("årsnr, period, konto, {objektlista} och belopp"),
    "#PBUDGET": gettext_noop("årsnr, period, konto, {objektlista} och belopp"),
}


class SieError(ValueError):
    """The file was rejected; ``problems`` are (line number, Swedish reason), line 0 meaning
    the file as a whole."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"rad {line}: {message}" for line, message in problems))


def read_sie(data: bytes, *, progress: Progress = no_progress) -> SieFile:
    """Read an SIE file; raises ``SieError`` naming every problem.

    >>> sie = read_sie(open("demo/exempel-2023.se", "rb").read())
    >>> sie.fiscal_years[0]
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    """
    try:
        check_line_count(data)  # one record a line: counted before anything is parsed
    except InputRefused as refused:
        raise SieError([(0, refused.message)]) from refused
    reader = _Reader(progress)
    encoding_problem = _encoding_problem(data)
    if encoding_problem:
        raise SieError([encoding_problem])
    reader.read(data.decode("cp437"))
    if reader.problems:
        problems = sorted(reader.problems)
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], (0, _("… och %(n)s fel till") % {"n": rest})]
        raise SieError(problems)
    return reader.sie


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _encoding_problem(data: bytes) -> tuple[int, str] | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return (1, _("filen börjar med en UTF-8-markering (BOM); SIE-filer ska vara PC8 (CP437)"))
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        first = _NON_ASCII.search(data)
        assert first is not None  # the data is not ASCII
        return (
            _line_of(data, first.start()),
            _(
                "filen är kodad som UTF-8, men SIE-filer ska vara kodade som PC8 (IBM "
                "teckentabell 437); spara om filen med #FORMAT PC8"
            ),
        )
    latin = _LATIN1_LETTERS.search(data)
    if latin and not _CP437_LETTERS.search(data):
        return (
            _line_of(data, latin.start()),
            _(
                "filen verkar vara kodad som Windows-1252 eller ISO 8859-1 (å, ä och ö står "
                "fel), men SIE-filer ska vara kodade som PC8 (IBM teckentabell 437)"
            ),
        )
    return None


class _Reader:
    def __init__(self, progress: Progress):
        self.sie = SieFile(format="")
        self.problems: list[tuple[int, str]] = []
        self.progress = progress
        self.blocks: list[int] = []  # line numbers of open "{"
        self.last_label = ""
        self.first_label_seen = False
        self.crc: int | None = None  # running checksum between the #KSUMMA posts
        self.checksum_opened = 0

    def fail(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def read(self, text: str) -> None:
        lines = text.split("\n")
        total = len(lines)
        for number, raw in enumerate(lines, 1):
            if number % 20_000 == 0:
                self.progress(number, total, _("Läser rad %(n)s") % {"n": number})
            self.line(number, raw.rstrip("\r"))
        self.sie.line_count = total
        self.finish(total)

    def line(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        if has_control_character(line):
            self.fail(number, _("raden innehåller ett otillåtet styrtecken"))
            return
        if stripped in ("{", "}"):
            self.brace(number, stripped)
            return
        label = stripped.split(None, 1)[0].upper()
        if self.crc is None and self.fast_line(number, line, stripped, label):
            return
        try:
            fields = tokenize(line)
        except TokenError as exc:
            self.fail(number, str(exc))
            return
        if not fields or not isinstance(fields[0], str) or not fields[0].startswith("#"):
            self.fail(number, _("raden börjar inte med en etikett (t.ex. #KONTO)"))
            return
        self.label_seen(number, label)
        if label == "#KSUMMA":
            self.checksum(number, fields[1:])
            return
        if self.crc is not None:
            self.crc = zlib.crc32(_checksum_bytes(label, fields[1:]), self.crc)
        self.last_label = label
        if not self.blocks:  # sub-posts (#TRANS …) are not used
            self.post(number, label, fields[1:])

    def fast_line(self, number: int, line: str, stripped: str, label: str) -> bool:
        """Read a line without tokenizing it where that is safe (no checksum running): a
        well-formed #PSALDO or #PBUDGET, or a post whose label is all that matters. False
        when the line needs the general path."""
        if not self.blocks and label in ("#PSALDO", "#PBUDGET"):
            balance = fast_period_balance(stripped, number)
            if balance is not None:  # else the general path says what is wrong
                self.label_seen(number, label)
                self.last_label = label
                if label == "#PSALDO":
                    self.sie.period_balances.append(balance)
                else:
                    self.sie.period_budgets.append(balance)
                return True
        if (self.blocks or label not in REQUIRED_FIELDS) and label.startswith("#"):
            # A post this reader does not use (a #TRANS, an #IB …): only its label matters.
            self.label_seen(number, label)
            self.last_label = label
            if label == "#KSUMMA":
                self.checksum(number, tokenize_or_none(line)[1:])
            return True
        return False

    def post(self, number: int, label: str, args: list[Field]) -> None:
        """A post this reader uses, with all its fields: to its ``post_…`` method."""
        needed = REQUIRED_FIELDS.get(label)
        if needed is None:
            return  # a post this reader does not use, or an unknown one: ignored
        if len(args) < needed:
            self.fail(
                number,
                _("raden är ofullständig: %(label)s ska ha %(fields)s")
                % {"label": label, "fields": _(FIELD_NAMES.get(label, gettext_noop("ett värde")))},
            )
            return
        try:
            getattr(self, "post_" + label[1:].lower())(number, args)
        except Invalid as exc:
            self.fail(number, f"{label}: {exc}")

    def label_seen(self, number: int, label: str) -> None:
        if not self.first_label_seen:
            self.first_label_seen = True
            if label != "#FLAGGA":
                self.fail(
                    number, _("filen ska börja med #FLAGGA, inte %(label)s") % {"label": label}
                )

    def brace(self, number: int, brace: str) -> None:
        if brace == "{":
            if self.blocks:
                self.fail(number, _("ett block kan inte öppnas inuti ett annat"))
            elif self.last_label != "#VER":
                self.fail(number, _("{ ska följa direkt efter en #VER-post"))
            self.blocks.append(number)
        elif not self.blocks:
            self.fail(number, _("} avslutar inget block"))
        else:
            self.blocks.pop()
        self.last_label = brace

    def checksum(self, number: int, args: list[Field]) -> None:
        if not args:
            if self.checksum_opened:
                self.fail(
                    number,
                    _("#KSUMMA har redan inletts på rad %(n)s") % {"n": self.checksum_opened},
                )
            self.checksum_opened = number
            self.crc = 0
            return
        if self.crc is None:
            self.fail(number, _("avslutande #KSUMMA utan inledande #KSUMMA"))
            return
        expected = str(args[0])
        computed = self.crc & 0xFFFFFFFF
        self.crc = None
        if not re.fullmatch(r"-?\d+", expected) or int(expected) % 2**32 != computed:
            self.fail(
                number,
                _(
                    "kontrollsumman stämmer inte: filen anger %(expected)s, innehållet ger "
                    "%(computed)s; filen har ändrats eller skadats"
                )
                % {"expected": expected, "computed": computed},
            )
        else:
            self.sie.checksum_verified = True

    def finish(self, total: int) -> None:
        sie = self.sie
        if not self.first_label_seen:
            self.fail(0, _("filen innehåller inga SIE-poster"))
            return
        for start in self.blocks:
            self.fail(start, _("blocket stängs aldrig med }; filen är avkortad"))
        if self.crc is not None:
            self.fail(
                total,
                _("inledande #KSUMMA på rad %(n)s saknar avslutande #KSUMMA; filen är avkortad")
                % {"n": self.checksum_opened},
            )
        if not sie.format:
            self.fail(0, _("#FORMAT saknas; SIE-filer ska ange #FORMAT PC8"))
        if not sie.accounts:
            self.fail(0, _("filen saknar kontoplan (inga #KONTO-poster)"))
        for balances in (sie.period_balances, sie.period_budgets, sie.results):
            for balance in balances:
                self.references(balance)

    def references(self, balance: Balance) -> None:
        sie = self.sie
        if sie.accounts and balance.account not in sie.accounts:
            self.fail(
                balance.line,
                _("konto %(account)s finns inte i filens kontoplan (ingen #KONTO-post)")
                % {"account": balance.account},
            )
        for dimension, code in balance.objects:
            if (dimension, code) not in sie.objects:
                self.fail(
                    balance.line,
                    _("objektet ”%(code)s” i dimension %(dim)s finns inte (ingen #OBJEKT-post)")
                    % {"code": code, "dim": dimension},
                )
        span = sie.fiscal_years.get(balance.year_index)
        if span is None:
            self.fail(
                balance.line,
                _("årsnr %(index)s saknar räkenskapsår (ingen #RAR-post)")
                % {"index": balance.year_index},
            )
        elif balance.period:
            first = (span[0].year, span[0].month)
            last = (span[1].year, span[1].month)
            period = (int(balance.period[:4]), int(balance.period[5:]))
            if not first <= period <= last:
                self.fail(
                    balance.line,
                    _("perioden %(period)s ligger utanför räkenskapsåret %(start)s–%(end)s")
                    % {"period": balance.period, "start": span[0], "end": span[1]},
                )

    # Posts, one method each. ``args`` are the fields after the label.

    def post_flagga(self, number: int, args: list[Field]) -> None:
        read_text(args[0], gettext_noop("flaggan"))

    def post_program(self, number: int, args: list[Field]) -> None:
        self.sie.program = read_text(args[0], gettext_noop("programnamnet"))
        self.sie.program_version = (
            read_text(args[1], gettext_noop("versionen")) if len(args) > 1 else ""
        )

    def post_format(self, number: int, args: list[Field]) -> None:
        value = read_text(args[0], gettext_noop("formatet"))
        if value.upper() != "PC8":
            raise Invalid(_("formatet är ”%(f)s”, men SIE tillåter bara PC8") % {"f": value})
        self.sie.format = "PC8"

    def post_gen(self, number: int, args: list[Field]) -> None:
        self.sie.generated = read_date(args[0])

    def post_sietyp(self, number: int, args: list[Field]) -> None:
        value = read_integer(args[0], gettext_noop("filtypen"))
        if value not in (1, 2, 3, 4):
            raise Invalid(_("filtypen ska vara 1, 2, 3 eller 4, inte %(v)s") % {"v": value})
        self.sie.sie_type = value

    def post_fnamn(self, number: int, args: list[Field]) -> None:
        self.sie.company_name = read_text(args[0], gettext_noop("företagsnamnet"))

    def post_orgnr(self, number: int, args: list[Field]) -> None:
        self.sie.org_number = read_text(args[0], gettext_noop("organisationsnumret"))

    def post_valuta(self, number: int, args: list[Field]) -> None:
        self.sie.currency = read_text(args[0], gettext_noop("valutan"))

    def post_prosa(self, number: int, args: list[Field]) -> None:
        self.sie.comment = " ".join(read_text(arg, gettext_noop("texten")) for arg in args)

    def post_rar(self, number: int, args: list[Field]) -> None:
        index = read_integer(args[0], gettext_noop("årsnr"))
        start, end = read_date(args[1]), read_date(args[2])
        if end < start:
            raise Invalid(_("räkenskapsåret slutar före det börjar"))
        if index in self.sie.fiscal_years:
            raise Invalid(_("årsnr %(i)s finns redan") % {"i": index})
        self.sie.fiscal_years[index] = (start, end)

    def post_omfattn(self, number: int, args: list[Field]) -> None:
        self.sie.covers_to = read_date(args[0])

    def post_konto(self, number: int, args: list[Field]) -> None:
        account = read_account(args[0])
        if account in self.sie.accounts:
            raise Invalid(_("konto %(a)s är redan deklarerat") % {"a": account})
        self.sie.accounts[account] = read_text(args[1], gettext_noop("kontonamnet"))

    def post_dim(self, number: int, args: list[Field]) -> None:
        self.sie.dimensions[read_integer(args[0], gettext_noop("dimensionsnumret"))] = read_text(
            args[1], gettext_noop("namnet")
        )

    def post_underdim(self, number: int, args: list[Field]) -> None:
        self.post_dim(number, args)

    def post_objekt(self, number: int, args: list[Field]) -> None:
        dimension = read_integer(args[0], gettext_noop("dimensionsnumret"))
        if dimension not in self.sie.dimensions and dimension not in RESERVED_DIMENSIONS:
            raise Invalid(
                _("dimension %(d)s är inte deklarerad (ingen #DIM-post)") % {"d": dimension}
            )
        code = read_text(args[1], gettext_noop("objektkoden"))
        if not code:
            raise Invalid(_("objektkoden saknas"))
        self.sie.objects[(dimension, code)] = read_text(args[2], gettext_noop("objektnamnet"))

    def post_res(self, number: int, args: list[Field]) -> None:
        self.sie.results.append(
            Balance(
                year_index=read_integer(args[0], gettext_noop("årsnr")),
                account=read_account(args[1]),
                amount=read_amount(args[2]),
                line=number,
            )
        )

    def post_psaldo(self, number: int, args: list[Field]) -> None:
        self.sie.period_balances.append(read_period_balance(number, args))

    def post_pbudget(self, number: int, args: list[Field]) -> None:
        self.sie.period_budgets.append(read_period_balance(number, args))


def tokenize_or_none(line: str) -> list[Field]:
    try:
        return tokenize(line)
    except TokenError:
        return []


def _checksum_bytes(label: str, args: list[Field]) -> bytes:
    parts = [label]
    for arg in args:
        parts.extend(arg if isinstance(arg, list) else [arg])
    return "".join(parts).encode("cp437")
