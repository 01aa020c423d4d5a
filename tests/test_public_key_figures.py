"""Key figures on the public site ("En dag hos oss"): the organisation's administrator keeps
them on one page; every row is checked first, a problem is named by row and field in
Swedish and nothing changes; each change is one audit event; the demo holds Region
Blekinge's figures exactly as its own page states them."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.organisations.models import Organisation
from uppsikt.public.actions import save_key_figures
from uppsikt.public.demo import BLEKINGE, EN_DAG_HOS_OSS, HEADING, load_demo_key_figures
from uppsikt.public.key_figures import MAX_ROWS, check_rows
from uppsikt.public.models import KeyFigure

from .builders import load_minimal, user_with_role

pytestmark = pytest.mark.django_db

SEEDS = Path(os.environ.get("UPPSIKT_SEEDS_DIR", "/work/shared/seeds"))
ROW = {"heading": "En dag hos oss", "value": "1 023", "text": "personer besöker oss"}


@pytest.fixture
def figures_region():
    load_minimal()
    return Organisation.objects.get(code="0099")


@pytest.fixture
def figures_root():
    return get_user_model().objects.create_superuser("rot", password="x-test-pass-1")


def stored(organisation) -> list[tuple]:
    return list(
        KeyFigure.objects.filter(organisation=organisation).values_list(
            "heading", "value", "text", "source", "year", "position"
        )
    )


def test_figures_are_stored_in_order_and_each_change_is_one_audit_event(
    figures_region, figures_root
):
    rows = [
        ROW,
        {"heading": "En dag hos oss", "value": "22 022", "text": "resor görs", "year": "2023"},
        {"heading": "Om oss", "value": "74,1", "text": "procent är nöjda", "source": "Enkät"},
    ]
    save_key_figures(figures_region, rows, actor=figures_root)
    assert stored(figures_region) == [
        ("En dag hos oss", Decimal("1023"), "personer besöker oss", "", None, 0),
        ("En dag hos oss", Decimal("22022"), "resor görs", "", 2023, 1),
        ("Om oss", Decimal("74.1"), "procent är nöjda", "Enkät", None, 2),
    ]
    event = AuditEvent.objects.get(action="public.key_figures")
    assert event.before == {"figures": []}
    assert [f["value"] for f in event.after["figures"]] == ["1023", "22022", "74,1"]
    save_key_figures(figures_region, rows, actor=figures_root)  # nothing changes: no event
    save_key_figures(figures_region, rows[1:], actor=figures_root)
    assert AuditEvent.objects.filter(action="public.key_figures").count() == 2
    assert [row[2] for row in stored(figures_region)] == ["resor görs", "procent är nöjda"]


@pytest.mark.parametrize(
    ("row", "key", "words"),
    [
        ({**ROW, "value": "många"}, "0-value", "Rad 1, tal: ”många” är inte ett tal"),
        ({**ROW, "value": "1.5"}, "0-value", "använd decimalkomma"),
        ({**ROW, "value": "1,23456"}, "0-value", "högst 4 decimaler"),
        ({**ROW, "value": "1" + "0" * 12}, "0-value", "talet är för stort"),
        ({**ROW, "value": ""}, "0-value", "Rad 1, tal: fältet behöver fyllas i"),
        ({**ROW, "heading": "  "}, "0-heading", "Rad 1, rubrik: fältet behöver fyllas i"),
        ({**ROW, "text": "x" * 301}, "0-text", "högst 300 tecken (nu 301)"),
        ({**ROW, "source": "k" * 400}, "0-source", "Rad 1, källa: högst 300 tecken"),
        ({**ROW, "year": "23"}, "0-year", "Rad 1, år: ange året med fyra siffror"),
        ({**ROW, "year": "3023"}, "0-year", "mellan 1900 och 2100"),
        ({**ROW, "year": "٢٠٢٣"}, "0-year", "ange året med fyra siffror"),
    ],
)
def test_bad_rows_are_named_and_nothing_changes(figures_region, figures_root, row, key, words):
    save_key_figures(figures_region, [ROW], actor=figures_root)
    before = stored(figures_region)
    with pytest.raises(ValidationError) as error:
        save_key_figures(figures_region, [row], actor=figures_root)
    assert words in " ".join(error.value.message_dict[key])
    assert error.value.error_dict[key][0].code
    assert stored(figures_region) == before
    assert AuditEvent.objects.filter(action="public.key_figures").count() == 1


def test_a_problem_on_a_later_row_is_named_by_its_row_and_blank_rows_are_skipped():
    with pytest.raises(ValidationError) as error:
        check_rows([ROW, {}, {**ROW, "value": "x"}])
    assert list(error.value.message_dict) == ["2-value"]
    assert error.value.message_dict["2-value"][0].startswith("Rad 3, tal:")
    assert len(check_rows([ROW, {"heading": " ", "value": ""}, ROW])) == 2


def test_at_most_fifty_figures():
    with pytest.raises(ValidationError) as error:
        check_rows([ROW] * (MAX_ROWS + 1))
    assert "Högst 50 nyckeltal" in error.value.message_dict["__all__"][0]


@settings(max_examples=60, deadline=None)
@given(
    st.decimals(
        min_value=Decimal("-999999999999.9999"),
        max_value=Decimal("999999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_number_the_field_can_hold_is_read_back_exactly(value):
    from uppsikt.lib.numbers import format_exact

    [figure] = check_rows([{**ROW, "value": format_exact(value)}])
    assert figure.value == value


def test_only_the_organisations_administrator_changes_them(figures_region):
    for role in ("planerare", "lasare"):
        with pytest.raises(PermissionDenied):
            save_key_figures(figures_region, [ROW], actor=user_with_role(role, role))
    assert not KeyFigure.objects.exists()
    save_key_figures(figures_region, [ROW], actor=user_with_role("admin", "administrator"))
    assert len(stored(figures_region)) == 1


def form_data(rows: list[dict], initial: int = 0, delete: tuple[int, ...] = ()) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "53",
    }
    for index, row in enumerate(rows):
        for field in ("heading", "value", "text", "source", "year"):
            data[f"form-{index}-{field}"] = row.get(field, "")
        if index in delete:
            data[f"form-{index}-DELETE"] = "on"
    return data


def test_the_page_edits_removes_and_refuses_with_the_row_named(
    figures_region, figures_root, client
):
    url = reverse("public:key_figures", args=["0099"])
    client.force_login(figures_root)
    page = client.get(url).content.decode()
    assert "Nyckeltal för Region Test" in page and page.count('name="form-') > 10
    response = client.post(url, form_data([ROW, {**ROW, "value": "4", "text": "barn föds"}]))
    assert response.status_code == 302
    assert [row[1] for row in stored(figures_region)] == [Decimal(1023), Decimal(4)]
    refused = client.post(url, form_data([ROW, {**ROW, "value": "fyra"}], initial=2))
    text = refused.content.decode()
    assert refused.status_code == 200 and "Rad 2, tal: ”fyra” är inte ett tal" in text
    assert 'href="#id_form-1-value"' in text
    assert [row[1] for row in stored(figures_region)] == [Decimal(1023), Decimal(4)]
    response = client.post(url, form_data([ROW, {**ROW, "value": "4"}], initial=2, delete=(0,)))
    assert response.status_code == 302
    assert [row[1] for row in stored(figures_region)] == [Decimal(4)]


def test_text_is_shown_as_text_on_the_public_page(figures_region, figures_root, client):
    row = {**ROW, "text": '<script>alert("x")</script> besök', "heading": "<b>Dag</b>"}
    save_key_figures(figures_region, [row], actor=figures_root)
    page = client.get(reverse("public:organisation", args=["0099"])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert (
        "&lt;b&gt;Dag&lt;/b&gt;" in page and '<strong class="key-figure__number">1\u00a0023' in page
    )


def test_the_demo_holds_blekinges_figures_as_its_page_states_them(client):
    Organisation.objects.create(code=BLEKINGE, name="Region Blekinge", kind="region")
    assert load_demo_key_figures() == 9
    assert load_demo_key_figures() == 0  # kept as they are
    page = client.get(reverse("public:organisation", args=[BLEKINGE])).content.decode()
    assert f">{HEADING}</h2>" in page
    for value, text in EN_DAG_HOS_OSS:
        assert f"{value.replace(' ', chr(0xA0))}</strong> {text}</li>" in page
    seed = SEEDS / "blekinge-om-regionen.txt"
    if seed.exists():
        section = seed.read_text(encoding="utf-8").split("En dag hos oss", 1)[1]
        section = section.split("Tjänstepersonsorganisation", 1)[0]
        lines = re.findall(r"•\s*([\d ]+?) (\D.*?)\.?$", section, re.MULTILINE)
        assert [(v.strip(), t.strip()) for v, t in lines] == EN_DAG_HOS_OSS
