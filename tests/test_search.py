"""The search page: every kind of plan object, where each hit lives, and who may see it."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from uppsikt.plans.search import _ACCENTED, _PLAIN, fold, search_plans

from .builders import user_with_role
from .test_pages import back_in_draft, text_of

DRAFT_GOAL = "Alla medarbetare i staben har gått utbildning i de digitala samarbetsverktyg"


def hits_for(client, query: str) -> str:
    return text_of(client.get(reverse("portal:search"), {"q": query}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "kind", "text", "unit"),
    [
        (
            "jämlik och jämställd hälsa",
            "Effektmål 1",
            "Länets invånare har en god",
            "Regionstyrelsen",
        ),
        ("höja den digitala kompetensen", "Mål", "Höja den digitala kompetensen", "Regionkansliet"),
        ("medarbetarenkät", "Indikator", "Hållbart medarbetarengagemang", "Regionstyrelsen"),
        ("kvalitet och utveckling", "Strategi", "Kvalitet och utveckling", "Regionstyrelsen"),
        # A strategy's statements are a JSON list: matched in Python.
        ("digitala mognaden", "Strategi", "Att skapa en hög grad av förankring", "Regionstyrelsen"),
        ("det interna programmet", "Uppdrag", "Regionkansliet ansvarar för", "Regionstyrelsen"),
        ("digitalisering", "Prioriterat område", "Digitalisering", "Regionkansliet"),
        ("flyttas till teams", "Aktivitet", "Processer och arbeten", "Regionkansliet"),
        ("fördelning driftbudget", "Avsnitt", "5.1 Fördelning driftbudget", "Regionkansliet"),
        # A section's bullet list is a JSON list too.
        ("beredskaps- och katastrofplanering", "Avsnitt", "", "Regionstyrelsen"),
    ],
)
def test_search_finds_every_kind_and_says_where(client, demo_region, query, kind, text, unit):
    page = hits_for(client, query)
    assert f"{kind} {text}" in page, page[:2000]
    assert f"· Region Örebro län · {unit}" in page
    assert "0 träffar" not in page


@pytest.mark.django_db
def test_hits_link_to_a_place_that_exists_on_the_plan_page(client, demo_region):
    for hit in search_plans("digitalisering", None):
        url, _, anchor = hit.url.partition("#")
        page = client.get(url).content.decode()
        assert not anchor or f'id="{anchor}"' in page, hit.url


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["örebro", "ÖREBRO", "orebro", "Orebro Lan"])
def test_search_ignores_case_and_diacritics(client, demo_region, query):
    page = hits_for(client, query)
    assert "Region Örebro län har en långsiktig stark och hållbar ekonomi" in page


@pytest.mark.django_db
def test_the_public_finds_decided_plans_only(client, demo_region):
    back_in_draft("staben-digitalisering")
    assert "0 träffar" in hits_for(client, "samarbetsverktyg")
    assert not [hit for hit in search_plans("a", None) if hit.plan.status == "utkast"]
    client.force_login(user_with_role("lasare", "lasare"))
    page = hits_for(client, "samarbetsverktyg")
    assert DRAFT_GOAL in page
    assert "Staben digitalisering · Utkast" in page


@pytest.mark.django_db
def test_a_reader_of_one_unit_does_not_find_drafts_of_another(demo_region):
    draft = back_in_draft("staben-digitalisering")
    other = user_with_role("lasare", "lasare", unit="staben-hr")
    assert not [hit for hit in search_plans("samarbetsverktyg", other) if hit.plan == draft]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéüABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉÜ "))
def test_fold_ignores_case_and_swedish_letters(value):
    assert fold(value.upper()) == fold(value.lower()) == fold(fold(value))
    assert fold(value).isascii()


def test_the_postgresql_fold_agrees_with_python():
    assert len(_ACCENTED) == len(_PLAIN)
    for accented, plain in zip(_ACCENTED, _PLAIN, strict=True):
        assert fold(accented) == plain, accented
