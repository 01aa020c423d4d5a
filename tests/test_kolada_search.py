"""Searching Kolada's KPI catalogue (issue 16): every hit holds every word, the filters never
admit a KPI that does not match, nothing that matches is missed, and the order is code, then
title, then description. Runs on SQLite and PostgreSQL alike (the database folds the text)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.kolada.models import KoladaKpi
from uppsikt.kolada.search import (
    MAX_WORDS,
    Criteria,
    operating_areas,
    search_kpis,
    swedish_order,
    words_of,
)
from uppsikt.plans.search import fold

pytestmark = pytest.mark.django_db

FETCHED = timezone.make_aware(datetime.datetime(2026, 12, 1, 8, 0))
AREAS = ["", "Hälso- och sjukvård", "Äldreomsorg"]
# Few letters, so that words often overlap; Swedish letters in both cases, and digits that
# also occur in the KPIs' ids.
word = st.text(alphabet="abåäöÅÄÖéÉ19", min_size=1, max_size=3)
phrase = st.lists(word, max_size=4).map(" ".join)
kpi_fields = st.fixed_dictionaries(
    {
        "title": st.lists(word, min_size=1, max_size=4).map(" ".join),
        "description": phrase,
        "operating_area": st.sampled_from(AREAS),
        "divided_by_gender": st.booleans(),
        "municipality_type": st.sampled_from("KLA"),
    }
)
criteria_strategy = st.builds(
    Criteria,
    text=st.one_of(
        phrase,
        st.integers(0, 7).map(lambda n: f"n{n:05} " if n % 2 else f"N{n:05}"),
        st.tuples(st.integers(0, 7), phrase).map(lambda p: f"N{p[0]:05} {p[1]}"),
    ),
    area=st.sampled_from([*AREAS, "Skola"]),
    by_gender=st.sampled_from(["", "ja", "nej"]),
    applies_to=st.sampled_from(["", "K", "L"]),
)


def stored(catalogue: list[dict]) -> list[KoladaKpi]:
    return KoladaKpi.objects.bulk_create(
        KoladaKpi(code=f"N{index:05}", fetched_at=FETCHED, **fields)
        for index, fields in enumerate(catalogue)
    )


def admitted(kpi: KoladaKpi, criteria: Criteria) -> bool:
    """The search's rules, one KPI at a time, in Python."""
    if criteria.area and kpi.operating_area != criteria.area:
        return False
    if criteria.by_gender and kpi.divided_by_gender != (criteria.by_gender == "ja"):
        return False
    if criteria.applies_to and kpi.municipality_type not in (criteria.applies_to, "A"):
        return False
    texts = [fold(kpi.code), fold(kpi.title), fold(kpi.description)]
    return all(any(w in text for text in texts) for w in words_of(criteria.text))


def rank(kpi: KoladaKpi, words: list[str]) -> int:
    if fold(kpi.code) in words:
        return 0
    return 1 if all(w in fold(kpi.title) for w in words) else 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue=st.lists(kpi_fields, max_size=8), criteria=criteria_strategy)
def test_the_search_finds_exactly_what_matches_best_first(catalogue, criteria):
    with transaction.atomic():
        kpis = stored(catalogue)
        found = list(search_kpis(criteria))
        transaction.set_rollback(True)
    expected = {kpi.code for kpi in kpis if admitted(kpi, criteria)}
    assert {kpi.code for kpi in found} == expected
    assert len(found) == len(expected)  # each once
    words = words_of(criteria.text)
    for kpi in found:  # every hit holds every word, in its id, title or description
        for w in words:
            assert w in fold(kpi.code) or w in fold(kpi.title) or w in fold(kpi.description)
    if words:
        ranks = [rank(kpi, words) for kpi in found]
        assert ranks == sorted(ranks)


@given(st.text(alphabet="abc ÅÄÖåäö\t\n", max_size=300))
def test_the_words_are_folded_distinct_and_bounded(text):
    words = words_of(text)
    assert len(words) == len(set(words)) <= MAX_WORDS
    assert all(w == fold(w) and w.strip() == w and w for w in words)


def test_swedish_letters_and_case_do_not_matter():
    KoladaKpi.objects.create(
        code="N79179",
        title="Invånare i Örebro län som är nöjda",
        description="Äldre",
        fetched_at=FETCHED,
    )
    for text in ("orebro", "ÖREBRO", "örebro Lan", "aldre invanare", "n79179"):
        assert [kpi.code for kpi in search_kpis(Criteria(text=text))] == ["N79179"], text
    assert not search_kpis(Criteria(text="örebro göteborg")).exists()


def test_a_kpi_kolada_no_longer_lists_is_not_offered(client):
    kept = KoladaKpi.objects.create(code="N00010", title="Väntetid kvar", fetched_at=FETCHED)
    gone = KoladaKpi.objects.create(
        code="N00011", title="Väntetid borta", fetched_at=FETCHED, removed_at=FETCHED
    )
    assert [kpi.code for kpi in search_kpis(Criteria(text="väntetid"))] == [kept.code]
    assert [kpi.code for kpi in search_kpis(Criteria())] == [kept.code]
    page = client.get(f"/kolada/katalog/{gone.code}/").content.decode()
    assert "Kolada listar inte längre denna KPI" in page


def test_an_id_first_then_the_title_then_the_description():
    for code, title, description in (
        ("N00003", "Något annat", "Om väntetid"),
        ("N00002", "Väntetid i vården", ""),
        ("N00001", "Sista", "Första"),
    ):
        KoladaKpi.objects.create(
            code=code, title=title, description=description, fetched_at=FETCHED
        )
    KoladaKpi.objects.filter(code="N00001").update(title="Väntetid, sista")
    order = [kpi.code for kpi in search_kpis(Criteria(text="väntetid"))]
    assert order == ["N00002", "N00001", "N00003"]
    order = [kpi.code for kpi in search_kpis(Criteria(text="N00003 väntetid"))]
    assert order == ["N00003"]
    every = [kpi.code for kpi in search_kpis(Criteria())]
    assert every == ["N00003", "N00002", "N00001"]  # by title without words


def test_the_areas_are_listed_once_in_swedish_order():
    for index, area in enumerate(["Övrigt", "Äldreomsorg", "Arbete", "Åtgärder", "", "Arbete"]):
        KoladaKpi.objects.create(
            code=f"N{index:05}", title="T", operating_area=area, fetched_at=FETCHED
        )
    assert operating_areas() == ["Arbete", "Åtgärder", "Äldreomsorg", "Övrigt"]
    assert sorted(["ö", "Z", "å", "ä", "a"], key=swedish_order) == ["a", "Z", "å", "ä", "ö"]


@given(st.text(max_size=80))
def test_the_quick_fold_is_the_decomposing_fold(value):
    """``plans.search.fold`` translates the letters it knows in one step: the same result."""
    from uppsikt.plans.search import _decomposed

    assert fold(value) == _decomposed(value)


def test_punctuation_in_a_word_is_taken_literally():
    KoladaKpi.objects.create(
        code="N00001", title="Andel (%) av invånare, 16-84 år", fetched_at=FETCHED
    )
    KoladaKpi.objects.create(code="N00002", title="Abc_d", fetched_at=FETCHED)
    for text, found in (
        ("(%)", ["N00001"]),
        ("16-84", ["N00001"]),
        ("a.c", []),
        ("c_d", ["N00002"]),
        ("[a]", []),
        ("\\", []),
        ("ar,", []),
        ("invånare,", ["N00001"]),
    ):
        assert [kpi.code for kpi in search_kpis(Criteria(text=text))] == found, text
