"""Key figures as data: reading them for the public pages and checking rows before they are
saved (``actions.save_key_figures``).

A row is a heading (the group, "En dag hos oss"), a number written the Swedish way
(``lib.numbers.parse_number``: "1 023", "74,1"), the sentence after it, and optionally a
source and a year. Every problem is named with its row and field; a blank row is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from uppsikt.lib.numbers import NumberError, format_for_file, parse_number
from uppsikt.lib.problems import coded
from uppsikt.organisations.models import Organisation

from .models import DECIMAL_PLACES, MAX_DIGITS, KeyFigure

FIELDS = ("heading", "value", "text", "source", "year")
MAX_ROWS = 50
MAX_LENGTHS = {"heading": 100, "text": 300, "source": 300}
MIN_YEAR, MAX_YEAR = 1900, 2100
FIELD_WORDS = {
    "heading": "rubrik",
    "value": "tal",
    "text": "text efter talet",
    "source": "källa",
    "year": "år",
}


@dataclass(frozen=True)
class Figure:
    """One checked key figure."""

    heading: str
    value: Decimal
    text: str
    source: str = ""
    year: int | None = None

    def to_data(self) -> dict[str, object]:
        """As the audit trail keeps it (the number as exact text)."""
        return {
            "heading": self.heading,
            "value": format_for_file(self.value),
            "text": self.text,
            "source": self.source,
            "year": self.year,
        }


@dataclass(frozen=True)
class Group:
    heading: str
    figures: list[KeyFigure]

    @property
    def sources(self) -> list[str]:
        """The group's sources, each once (shown under the group, not on every line)."""
        return list(dict.fromkeys(figure.source for figure in self.figures if figure.source))


def _clean_text(raw: object) -> str:
    return " ".join(str(raw or "").split())


def _problem(number: int, field: str, message: str, code: str) -> tuple[str, ValidationError]:
    words = _(FIELD_WORDS[field])
    text = _("Rad %(row)d, %(field)s: %(message)s") % {
        "row": number,
        "field": words,
        "message": message,
    }
    return f"{number - 1}-{field}", coded(text, code)


def _value(raw: str) -> tuple[Decimal | None, str, str]:
    """(the number, or None with the reason and its code)."""
    try:
        value = parse_number(raw)
    except NumberError as error:
        return None, str(error), "not_a_number"
    _sign, digits, exponent = value.as_tuple()
    places = -int(exponent) if isinstance(exponent, int) and exponent < 0 else 0
    if places > DECIMAL_PLACES:
        return None, _("högst %(n)d decimaler.") % {"n": DECIMAL_PLACES}, "too_many_decimals"
    if len(digits) - places > MAX_DIGITS - DECIMAL_PLACES:
        return None, _("talet är för stort."), "too_large"
    return value, "", ""


def _year(raw: str) -> tuple[int | None, str]:
    if not raw:
        return None, ""
    if not (raw.isdigit() and raw.isascii()) or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        return None, _("ange året med fyra siffror, mellan %(first)d och %(last)d.") % {
            "first": MIN_YEAR,
            "last": MAX_YEAR,
        }
    return int(raw), ""


def _check_row(number: int, row: Mapping[str, object]) -> tuple[Figure | None, list]:
    texts = {field: _clean_text(row.get(field)) for field in FIELDS}
    problems = []
    for field in ("heading", "value", "text"):
        if not texts[field]:
            problems.append(_problem(number, field, _("fältet behöver fyllas i."), "required"))
    for field, limit in MAX_LENGTHS.items():
        if len(texts[field]) > limit:
            message = _("högst %(limit)d tecken (nu %(length)d).") % {
                "limit": limit,
                "length": len(texts[field]),
            }
            problems.append(_problem(number, field, message, "too_long"))
    value = None
    if texts["value"]:
        value, message, code = _value(texts["value"])
        if value is None:
            problems.append(_problem(number, "value", message, code))
    year, message = _year(texts["year"])
    if message:
        problems.append(_problem(number, "year", message, "bad_year"))
    if problems or value is None:
        return None, problems
    figure = Figure(texts["heading"], value, texts["text"], texts["source"], year)
    return figure, []


def check_rows(rows: Iterable[Mapping[str, object]]) -> list[Figure]:
    """The rows as figures, in order; blank rows skipped. Raises ``ValidationError`` (by
    ``"<index>-<field>"``, the index counted from 0 over all rows) naming every problem."""
    figures: list[Figure] = []
    errors: dict[str, list[ValidationError]] = {}
    rows = list(rows)
    for index, row in enumerate(rows):
        if not any(_clean_text(row.get(field)) for field in FIELDS):
            continue
        figure, problems = _check_row(index + 1, row)
        for key, problem in problems:
            errors.setdefault(key, []).append(problem)
        if figure is not None:
            figures.append(figure)
    if len(figures) > MAX_ROWS:
        errors.setdefault("__all__", []).append(
            coded(
                _("Högst %(max)d nyckeltal får finnas (nu %(count)d).")
                % {"max": MAX_ROWS, "count": len(figures)},
                "too_many",
            )
        )
    if errors:
        raise ValidationError(errors)
    return figures


def stored_figures(organisation: Organisation) -> list[Figure]:
    return [
        Figure(f.heading, f.value, f.text, f.source, f.year)
        for f in KeyFigure.objects.filter(organisation=organisation)
    ]


def groups_of(organisation: Organisation) -> list[Group]:
    """The organisation's key figures by heading, in the order they were written."""
    groups: dict[str, list[KeyFigure]] = {}
    for figure in KeyFigure.objects.filter(organisation=organisation):
        groups.setdefault(figure.heading, []).append(figure)
    return [Group(heading, figures) for heading, figures in groups.items()]
