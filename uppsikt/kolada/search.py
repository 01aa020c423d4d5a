"""Searching Kolada's KPI catalogue as last read (``KoladaKpi``).

``search_kpis`` takes free text and three filters and returns the matching KPIs, best first:

- every word of the text must be found, each in the KPI's id, title or description (one word
  may be in the title, another in the description); case and diacritics do not matter on
  either side ("orebro", "ÖREBRO" and "Örebro" are alike, ``plans.search.fold``): on SQLite
  the database folds each KPI's text (``Folded``), on PostgreSQL each folded word becomes a
  case-insensitive regular expression whose letters match their accented forms
  (``word_pattern``), the same letters as ``Folded``'s TRANSLATE and much cheaper;
- ``area``: the operating area exactly as Kolada names it (``operating_areas`` lists them);
- ``by_gender``: ``"ja"`` only KPIs divided by gender, ``"nej"`` only those that are not;
- ``applies_to``: ``"K"`` KPIs for kommuner, ``"L"`` for regions; a KPI for both (``A``)
  matches either.

Order: a KPI whose id is one of the words first, then those whose title holds every word,
then the rest (the words found in the description); within each, by title and id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Max, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat

from uppsikt.plans.search import _ACCENTED, _PLAIN, Folded, fold

from .models import KoladaKpi

MAX_TEXT = 200  # characters of free text read
MAX_WORDS = 12  # words of it used; more narrow the search no further in practice
GENDER_CHOICES = ("ja", "nej")
APPLIES_CHOICES = (KoladaKpi.MunicipalityType.KOMMUN, KoladaKpi.MunicipalityType.REGION)


@dataclass(frozen=True)
class Criteria:
    text: str = ""
    area: str = ""
    by_gender: str = ""  # "", "ja" or "nej"
    applies_to: str = ""  # "", "K" or "L"


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` that a search requires, each once, in order."""
    words: list[str] = []
    for word in fold(text[:MAX_TEXT]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _filtered(criteria: Criteria) -> QuerySet[KoladaKpi]:
    # A KPI Kolada no longer lists is kept (a definition may be linked to it) but not offered.
    kpis = KoladaKpi.objects.filter(removed_at__isnull=True)
    if criteria.area:
        kpis = kpis.filter(operating_area=criteria.area)
    if criteria.by_gender in GENDER_CHOICES:
        kpis = kpis.filter(divided_by_gender=criteria.by_gender == "ja")
    if criteria.applies_to in APPLIES_CHOICES:
        kpis = kpis.filter(
            municipality_type__in=[criteria.applies_to, KoladaKpi.MunicipalityType.ALLA]
        )
    return kpis


def search_kpis(criteria: Criteria) -> QuerySet[KoladaKpi]:
    """The KPIs that match ``criteria``, best first (see the module's docstring)."""
    kpis = _filtered(criteria)
    words = words_of(criteria.text)
    if not words:
        return kpis.order_by("title", "code")
    if connection.vendor == "postgresql":
        found, in_title = _regex_conditions(words)
    else:
        found, in_title = _folded_conditions(words)
        kpis = kpis.annotate(
            folded_text=Folded(
                Concat(
                    "code", Value(" "), "title", Value(" "), "description", output_field=TextField()
                )
            ),
            folded_title=Folded("title"),
        )
    code_is_a_word = Q()
    for word in words:
        code_is_a_word |= Q(code__iexact=word)
    rank = Case(
        When(code_is_a_word, then=Value(0)),
        When(in_title, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return kpis.filter(found).annotate(rank=rank).order_by("rank", "title", "code")


def _folded_conditions(words: list[str]) -> tuple[Q, Q]:
    """SQLite: one folded text per KPI (its id, title and description, apart by a space,
    which no word holds), each word found in it; and every word in the folded title."""
    found, in_title = Q(), Q()
    for word in words:
        found &= Q(folded_text__contains=word)
        in_title &= Q(folded_title__contains=word)
    return found, in_title


# Each plain letter and the letters ``fold`` makes it of, both cases, for PostgreSQL's
# regular expressions: "v[aAåÅäÄ…]ntetid" finds "Väntetid" without folding every KPI's text
# (TRANSLATE over a description costs some twenty times a regular expression's match).
_CLASSES: dict[str, set[str]] = {}
for _accented, _plain in zip(_ACCENTED, _PLAIN, strict=True):
    _CLASSES.setdefault(_plain, {_plain}).update({_accented, _accented.upper()})
LETTER_CLASSES = {
    plain: "[" + "".join(sorted(letters | {plain.upper()})) + "]"
    for plain, letters in _CLASSES.items()
}


def word_pattern(word: str) -> str:
    """A case-insensitive regular expression that finds folded ``word`` in unfolded text."""
    return "".join(
        LETTER_CLASSES.get(char) or (char if char.isalnum() else "\\" + char) for char in word
    )


def _regex_conditions(words: list[str]) -> tuple[Q, Q]:
    """PostgreSQL: each word in the id, title or description; and every word in the title."""
    found, in_title = Q(), Q()
    for word in words:
        pattern = word_pattern(word)
        found &= Q(code__iregex=pattern) | Q(title__iregex=pattern) | Q(description__iregex=pattern)
        in_title &= Q(title__iregex=pattern)
    return found, in_title


def operating_areas() -> list[str]:
    """Every operating area of the catalogue, in Swedish alphabetical order."""
    areas = (
        KoladaKpi.objects.exclude(operating_area="")
        .order_by()  # the model's ordering (by code) would make every row distinct
        .values_list("operating_area", flat=True)
        .distinct()
    )
    return sorted(areas, key=swedish_order)


# Å, Ä and Ö come after Z in Swedish, in that order (Unicode puts Ä before Å).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_order(text: str) -> tuple[str, str]:
    """A sort key that puts å, ä, ö after z, in that order, and ignores case first."""
    return (text.casefold().translate(_SWEDISH), text)


def last_read():
    """When the catalogue was last read from Kolada (its newest row), or None when empty."""
    return KoladaKpi.objects.aggregate(last=Max("fetched_at"))["last"]
