"""Open data (issue 17.3): every public dataset as CSV and JSON at stable URLs, its licence
stated, and nothing that is not public ever in it: drafts, proposals not decided, budget
tables not settled or of undecided plans, forecasts of periods not reviewed."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.trail import record
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure
from uppsikt.indicators.models import Assessment, Measurement
from uppsikt.lib.pagecache import renew
from uppsikt.opendata.changes import changes
from uppsikt.opendata.datasets import DATASETS
from uppsikt.opendata.sources import plans as plan_source
from uppsikt.opendata.sources import values as value_source
from uppsikt.plans.models import Goal, Plan
from uppsikt.public.navigation import footer_links

from .world import build_world

pytestmark = pytest.mark.django_db

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture
def opendata_world():
    """The small world, with a decided assessment on the decided plan beside one on the
    draft plan (never public), a draft budget table of the decided plan and a forecast of a
    period that is not reviewed."""
    world = build_world()
    Assessment.objects.filter(pk=world.assessment.pk).update(
        decided_status="delvis_uppfyllt",
        comment="Hälften av indikatorerna nådde målet.",
        decided_at=timezone.make_aware(datetime.datetime(2024, 2, 1, 10)),
    )
    Assessment.objects.create(
        goal=world.draft_goal,
        period="2024",
        proposed_status="uppfyllt",
        proposed_preliminary=False,
        decided_status="uppfyllt",
        comment="Hemligt utkastmål",
        decided_at=timezone.now(),
    )
    # An undecided proposal on the decided plan's second goal.
    Assessment.objects.create(
        goal=Goal.objects.get(plan=world.decided, number="2"),
        period="2023",
        proposed_status="ej_uppfyllt",
        proposed_reason="Förslag som ingen beslutat",
        proposed_preliminary=False,
    )
    draft_table = BudgetTable.objects.create(
        unit=world.unit,
        year=2023,
        kind="drift",
        number="9.9",
        title="Hemlig utkasttabell",
        plan=world.decided,
        status=BudgetTable.Status.UTKAST,
    )
    hidden_row = BudgetRow.objects.create(table=draft_table, label="Hemlig rad", kind="rad")
    Figure.objects.create(row=hidden_row, kind="budget", year=2023, amount=Decimal("777.77"))
    first_row = world.decided_table.rows.get(position=0)
    Figure.objects.create(
        row=first_row, kind="prognos", year=2023, period="2023-06", amount=Decimal("31415.92")
    )
    return world


def download(client, slug: str, fmt: str, query: str = ""):
    response = client.get(reverse("opendata:download", args=[slug, fmt]) + query)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def csv_rows(client, slug: str, query: str = "") -> list[dict[str, str]]:
    response, text = download(client, slug, "csv", query)
    assert response.status_code == 200, text
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(client, slug: str, query: str = "") -> list[dict]:
    response, text = download(client, slug, "json", query)
    assert response.status_code == 200, text
    return json.loads(text)["rader"]


def everything(client) -> str:
    """Every dataset in both formats, as one text."""
    return "\n".join(download(client, slug, fmt)[1] for slug in DATASETS for fmt in ("csv", "json"))


def test_every_dataset_has_a_header_row_and_the_same_rows_in_both_formats(client, opendata_world):
    for slug, dataset in DATASETS.items():
        response, text = download(client, slug, "csv")
        assert response["Content-Type"].startswith("text/csv; charset=utf-8")
        assert text.splitlines()[0].split(",") == dataset.column_names
        from_csv = list(csv.DictReader(io.StringIO(text)))
        from_json = json_rows(client, slug)
        assert len(from_csv) == len(from_json), slug
        for csv_row, json_row in zip(from_csv, from_json, strict=True):
            assert list(csv_row) == list(json_row) == dataset.column_names


def test_the_licence_is_stated_in_the_header_and_the_json(client, opendata_world, settings):
    settings.OPEN_DATA_LICENCE = CC0
    response, text = download(client, "planer", "json")
    assert f'<{CC0}>; rel="license"' in response["Link"]
    envelope = json.loads(text)
    assert envelope["licens"] == CC0
    assert envelope["licensnamn"] == "CC0 1.0 Universell"
    assert envelope["datamangd"] == "planer"
    assert [c["namn"] for c in envelope["kolumner"]] == DATASETS["planer"].column_names
    streamed, _text = download(client, "indikatorvarden", "csv")
    assert streamed.streaming and f'<{CC0}>; rel="license"' in streamed["Link"]


def test_the_licence_is_a_setting(client, opendata_world, settings):
    settings.OPEN_DATA_LICENCE = "https://example.se/licens"
    response, text = download(client, "mal", "json")
    assert '<https://example.se/licens>; rel="license"' in response["Link"]
    assert json.loads(text)["licensnamn"] == "https://example.se/licens"


def test_plans_are_decided_versions_only(client, opendata_world):
    world = opendata_world
    rows = csv_rows(client, "planer")
    assert [int(r["plan_id"]) for r in rows] == [world.decided.pk]
    (row,) = rows
    assert row["organisation_kod"] == "0099" and row["status"] == "beslutad"
    assert row["galler"] == "true" and row["beslutsdatum"] == "2022-12-13"
    assert row["url"].endswith(world.decided.get_absolute_url())


def test_a_replaced_version_stays_but_no_longer_holds(client, opendata_world):
    world = opendata_world
    newer = Plan.objects.create(
        unit=world.unit, year=2023, title="Reviderad plan", status="reviderad", version=2
    )
    rows = {int(r["plan_id"]): r for r in csv_rows(client, "planer")}
    assert rows[world.decided.pk]["galler"] == "false"
    assert rows[newer.pk]["galler"] == "true"


def test_goals_of_decided_plans_only_with_the_organisations_words(client, opendata_world):
    world = opendata_world
    rows = json_rows(client, "mal")
    assert {row["plan_id"] for row in rows} == {world.decided.pk}
    assert {row["mal_id"] for row in rows} == set(
        Goal.objects.filter(plan=world.decided).values_list("pk", flat=True)
    )
    first = next(row for row in rows if row["nummer"] == "1")
    assert first["malniva"] == "effektmal" and first["malniva_namn"] == "Effektmål"
    assert first["galler"] is True and first["plan_version"] == 1


def test_assessments_decided_on_public_goals_only_with_words_and_code(client, opendata_world):
    world = opendata_world
    rows = csv_rows(client, "bedomningar")
    assert len(rows) == 1
    (row,) = rows
    assert int(row["mal_id"]) == world.goal.pk and row["period"] == "2023"
    assert row["bedomning"] == "Delvis uppfyllt"
    assert row["bedomning_nyckel"] == "delvis_uppfyllt"
    assert row["bedomning_kod"] == "ej_uppfyllt"  # not a step that counts as met
    assert (row["steg"], row["antal_steg"]) == ("2", "3")
    assert row["bedomd"] == "2024-02-01"


def test_the_day_of_a_decision_is_swedish_time(client, opendata_world):
    late = datetime.datetime(2024, 2, 1, 23, 30, tzinfo=datetime.UTC)  # 00.30 in Stockholm
    Assessment.objects.filter(pk=opendata_world.assessment.pk).update(decided_at=late)
    (row,) = csv_rows(client, "bedomningar")
    assert row["bedomd"] == "2024-02-02"


def test_nothing_that_is_not_public_appears_anywhere(client, opendata_world):
    text = everything(client)
    for secret in (
        "Hemligt utkastmål",
        "Förslag som ingen beslutat",
        "Hemlig utkasttabell",
        "Hemlig rad",
        "777.77",
        "31415.92",  # a forecast of a period not reviewed
        "Plan utkast 2024",
        "Effektmål nummer 1 år 2024",
        "Driftbudget 2024",
        "1300000.00",
    ):
        assert secret not in text, secret
    assert "Plan beslutad 2023" in text and "1200000.50" in text


def test_budget_figures_are_exact_decimal_strings(client, opendata_world):
    rows = json_rows(client, "budget")
    amounts = {row["rad_text"]: row["belopp_kr"] for row in rows}
    assert amounts == {"Intäkter": "1200000.50", "Kostnader": "-1000000.25"}
    assert all(row["serie"] == "budget-2023" for row in rows)
    csv_amounts = {r["rad_text"]: Decimal(r["belopp_kr"]) for r in csv_rows(client, "budget")}
    assert csv_amounts == {"Intäkter": Decimal("1200000.50"), "Kostnader": Decimal("-1000000.25")}


def test_indicator_values_are_current_values_with_a_decimal_point(client, opendata_world):
    world = opendata_world
    Measurement.stored.create(
        definition=world.definition,
        organisation=world.org,
        period="2021",
        value=Decimal("99"),
        withdrawn=True,
    )
    rows = csv_rows(client, "indikatorvarden")
    assert [(r["period"], r["varde"], r["kon"]) for r in rows] == [
        ("2022", "61.5000", "T"),
        ("2023", "63.2500", "T"),
    ]
    assert rows[0]["indikator"] == "andel-nojda" and rows[0]["matenhet"] == "procent"


def test_one_organisation_at_a_time(client, opendata_world):
    world = opendata_world
    assert {r["organisation_kod"] for r in csv_rows(client, "enheter", "?organisation=0098")} == {
        "0098"
    }
    assert csv_rows(client, "planer", "?organisation=0098") == []
    assert len(csv_rows(client, "planer", "?organisation=0099")) == 1
    values = csv_rows(client, "indikatorvarden", "?organisation=0098")
    assert values == []
    response, _text = download(client, "budget", "csv", "?organisation=0099")
    assert 'filename="budget-0099.csv"' in response["Content-Disposition"]
    assert world.org.code == "0099"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?organisation=18", 400, "invalid_code"),
        ("?organisation=1234", 404, "unknown_organisation"),
    ],
)
def test_a_bad_organisation_is_refused_with_the_field_and_a_code(
    client, opendata_world, query, status, code
):
    response, text = download(client, "mal", "json", query)
    assert response.status_code == status
    error = json.loads(text)["fel"]
    assert error["falt"] == "organisation" and error["kod"] == code
    assert error["meddelande"]
    response, text = download(client, "mal", "csv", query)
    assert response.status_code == status and text.startswith("organisation: ")


def test_an_unknown_dataset_is_not_found(client, opendata_world):
    assert client.get("/oppna-data/hemligt.csv").status_code == 404
    assert client.get("/oppna-data/planer.xml").status_code == 404


def test_text_that_looks_like_a_formula_stays_text(client, opendata_world):
    Plan.objects.filter(pk=opendata_world.decided.pk).update(title='=HYPERLINK("x")')
    (row,) = csv_rows(client, "planer")
    assert row["titel"] == '\'=HYPERLINK("x")'
    (item,) = json_rows(client, "planer")
    assert item["titel"] == '=HYPERLINK("x")'  # JSON is not opened as a spreadsheet


@pytest.mark.django_db(transaction=True)  # the cache is renewed when a change commits
def test_small_datasets_are_kept_and_a_change_is_seen_at_once(client, opendata_world):
    url = reverse("opendata:download", args=["planer", "csv"])
    assert client.get(url)["X-Uppsikt-Cache"] == "miss"
    kept = client.get(url)
    assert kept["X-Uppsikt-Cache"] == "hit"
    assert kept["Access-Control-Allow-Origin"] == "*" and 'rel="license"' in kept["Link"]
    plan = Plan.objects.get(pk=opendata_world.decided.pk)
    plan.title = "Ny titel"
    plan.save()
    assert "Ny titel" in client.get(url).content.decode()


def test_the_catalogue_page_describes_every_dataset(client, opendata_world, settings):
    settings.OPEN_DATA_PUBLISHER = "Region Test"
    settings.OPEN_DATA_CONTACT_EMAIL = "oppnadata@region-test.example"
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for slug, dataset in DATASETS.items():
        assert f'id="{slug}"' in html
        assert (
            f'href="/oppna-data/{slug}.csv"' in html and f'href="/oppna-data/{slug}.json"' in html
        )
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert f'href="{CC0}" rel="license"' in html and "CC0 1.0 Universell" in html
    assert "Region Test" in html and "mailto:oppnadata@region-test.example" in html
    assert 'href="/oppna-data/katalog.ttl"' in html and "<script" not in html
    assert client.get(reverse("opendata:index"))["X-Uppsikt-Cache"] == "hit"


def test_the_catalogue_says_when_a_dataset_last_changed(client, opendata_world):
    html = client.get(reverse("opendata:index")).content.decode()
    assert "ingen ändring registrerad ännu" in html  # the world is loaded without audit
    plan = opendata_world.decided
    event = record(actor=opendata_world.users["rot"], action="plan.update", obj=plan)
    assert changes(DATASETS["planer"]).last == event.occurred_at
    assert changes(DATASETS["mal"]).last == event.occurred_at
    assert changes(DATASETS["budget"]).last is None
    renew()  # the change commits with the test's transaction, never: make the pages old
    html = client.get(reverse("opendata:index")).content.decode()
    assert f'<time datetime="{timezone.localtime(event.occurred_at):%Y-%m-%d}">' in html


def test_the_public_sites_footer_links_to_open_data():
    links = {link.url: link for link in footer_links("opendata:index")}
    assert links["/oppna-data/"].current == "page"
    assert all(link.current == "" for url, link in links.items() if url != "/oppna-data/")


def test_the_documentation_names_every_dataset_and_column():
    text = (Path(__file__).resolve().parent.parent / "docs" / "opendata.md").read_text("utf-8")
    for slug, dataset in DATASETS.items():
        assert f"`/oppna-data/{slug}.csv`" in text, slug
        for column in dataset.columns:
            assert f"| `{column.name}` |" in text, (slug, column.name)


plan_specs = st.lists(
    st.tuples(
        st.sampled_from(["utkast", "beslutad", "reviderad"]),  # the plan's status
        st.sampled_from(["utkast", "faststalld"]),  # its budget table's status
        st.booleans(),  # whether its goal's assessment is decided
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(specs=plan_specs)
def test_any_mix_of_drafts_and_decisions_publishes_exactly_the_public_part(opendata_world, specs):
    """For any plans, tables and assessments: the datasets hold a plan, its goals, its
    table's figures and its goal's assessment exactly when the public may read them."""
    world = opendata_world
    with transaction.atomic():
        expected_plans, expected_tables, expected_goals = set(), set(), set()
        for index, (status, table_status, decided) in enumerate(specs):
            plan = Plan.objects.create(
                unit=world.other_unit, year=2030 + index, title=f"P{index}", status=status
            )
            goal = Goal.objects.create(plan=plan, kind="effektmal", text=f"Mål {index}")
            Assessment.objects.create(
                goal=goal,
                period=str(2030 + index),
                proposed_status="uppfyllt",
                proposed_preliminary=False,
                decided_status="uppfyllt" if decided else None,
            )
            table = BudgetTable.objects.create(
                unit=world.other_unit,
                year=2030 + index,
                kind="drift",
                title=f"T{index}",
                plan=plan,
                status=table_status,
            )
            row = BudgetRow.objects.create(table=table, label=f"Rad {index}", kind="rad")
            Figure.objects.create(row=row, kind="budget", year=2030 + index, amount=Decimal(index))
            public = status != "utkast"
            if public:
                expected_plans.add(plan.pk)
                expected_tables.update([table.pk] if table_status == "faststalld" else [])
                expected_goals.update([goal.pk] if decided else [])
        other = world.other_org
        assert {row[0] for row in plan_source.plan_rows(other)} == expected_plans
        assert {row[0] for row in plan_source.assessment_rows(other)} == expected_goals
        assert {row[0] for row in value_source.budget_rows(other)} == expected_tables
        transaction.set_rollback(True)
