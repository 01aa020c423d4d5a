"""Accepting a plan document's proposal writes its budget tables and internkontrollplan too.

A small Word document made with the test documents' builder (``plan_documents.docx_from``)
holds a plan, a budget table with varav rows and a Summa row, a table whose columns are not
years (left out, with the reason on the review page) and an internal-control table.
Accepting it writes the draft plan, the budget table (figures exactly as Decimals, the sums
computed) and the internkontrollplan in one transaction, audited as the person; any refusal,
an existing table or plan among them, writes nothing at all, plan included.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.actions.loading import create_tables
from uppsikt.budget.load import load_budget_data
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure
from uppsikt.control.loading import create_plans
from uppsikt.control.models import ControlPlan, Measure, Risk
from uppsikt.interchange.load import load_data
from uppsikt.lib.yamlfile import load_yaml
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan
from uppsikt.proposals import actions
from uppsikt.proposals.actions import review_of
from uppsikt.proposals.models import PlanProposal
from uppsikt.proposals.propose.model import Node, Proposal
from uppsikt.proposals.propose.tablefiles import budget_data, control_data
from uppsikt.proposals.reading.blocks import Block, Kind, Source

from .builders import load_minimal, user_with_role
from .plan_documents import CONTROL_ROWS as SEED_CONTROL_ROWS
from .plan_documents import docx_from, seed_structure

BUDGET_ROWS = (
    ("Belopp i tkr", "Budget 2024", "Prognos 2023"),
    ("Intäkter", "1 250,5", "1 100"),
    ("Kostnader", "-900", "-850"),
    ("- varav personal", "-600", "-550"),
    ("- varav lokaler", "-100", "-90"),
    ("Summa", "350,5", "250"),
)
OTHER_ROWS = (
    ("Belopp i tkr", "Kvartal 1", "Kvartal 2"),
    ("Intäkter", "10", "20"),
)
CONTROL_ROWS = (
    ("Verksamhet", "Risk", "Åtgärd"),
    ("Ekonomi", "Risken att redovisningen inte är rättvisande.", "Utbildning av ekonomer."),
    ("HR", "Risken att lönerna betalas fel.", "Stickprov på löneutbetalningar."),
)


def plan_blocks(budget=BUDGET_ROWS) -> list[Block]:
    return [
        Block(Kind.HEADING, Source(1), "Inledning", number="1", level=1),
        Block(Kind.PARAGRAPH, Source(2), "Planen gäller styrelsens verksamhet under året."),
        Block(Kind.HEADING, Source(3), "Perspektiv: Invånare och samhälle", number="2", level=1),
        Block(Kind.PARAGRAPH, Source(4), "Effektmål 1. Länets invånare har en god hälsa."),
        Block(Kind.HEADING, Source(5), "Driftbudget", number="3", level=1),
        Block(Kind.TABLE, Source(6), rows=budget),
        Block(Kind.HEADING, Source(7), "Kvartalen", number="4", level=1),
        Block(Kind.TABLE, Source(8), rows=OTHER_ROWS),
        Block(Kind.HEADING, Source(9), "Internkontroll", number="5", level=1),
        Block(Kind.TABLE, Source(10), rows=CONTROL_ROWS),
    ]


@pytest.fixture
def accept_planner(db, client):
    load_minimal(goal_count=1)
    user = user_with_role("plan-tabeller", "planerare")
    client.force_login(user)
    return user


def uploaded(user, blocks=None) -> PlanProposal:
    unit = Unit.objects.get(slug="styrelsen")
    content = docx_from(blocks or plan_blocks())
    return actions.upload(unit, 2024, actor=user, name="plan.docx", content=content)


def accept(proposal: PlanProposal, user) -> Plan:
    return actions.accept(proposal, actor=user, expected_version=proposal.row_version)


def nothing_written(proposal: PlanProposal, tables_before: int = 0) -> None:
    proposal.refresh_from_db()
    assert proposal.state == PlanProposal.State.READY and proposal.plan is None
    assert not Plan.objects.filter(year=2024).exists()
    assert BudgetTable.objects.count() == tables_before
    assert not Risk.objects.exists()
    written = {"plan.create", "budget.load", "control.plan.import", "proposal.accept"}
    assert not AuditEvent.objects.filter(action__in=written).exists()


def test_accepting_writes_the_budget_table_and_the_control_plan_as_the_person(
    client, accept_planner
):
    proposal = uploaded(accept_planner)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Kvartal 1, Kvartal 2 är inte år med budget, prognos eller utfall" in page
    assert "Budgettabellen 3 Driftbudget" in page
    assert "Internkontrollplanen med 2 risker" in page
    response = client.post(
        reverse("proposals:accept", args=[proposal.pk]), {"version": proposal.row_version}
    )
    plan = Plan.objects.get(year=2024)
    assert response.status_code == 302 and response.url == reverse("plans:edit", args=[plan.pk])

    (table,) = BudgetTable.objects.all()
    unit = Unit.objects.get(slug="styrelsen")
    assert (table.unit, table.year, table.number, table.title) == (unit, 2024, "3", "Driftbudget")
    assert (table.status, table.plan, table.source) == (
        BudgetTable.Status.UTKAST,
        plan,
        "plan.docx",
    )
    assert (table.display_unit, table.decimals) == ("tkr", 1)
    rows = list(BudgetRow.objects.filter(table=table).order_by("position"))
    assert [(row.label, row.kind, row.parent and row.parent.label) for row in rows] == [
        ("Intäkter", "rad", None),
        ("Kostnader", "rad", None),
        ("varav personal", "varav", "Kostnader"),
        ("varav lokaler", "varav", "Kostnader"),
        ("Summa", "summa", None),
    ]
    figures = {
        (figure.row.label, figure.kind, figure.year): figure.amount
        for figure in Figure.objects.filter(row__table=table).select_related("row")
    }
    # Each typed figure in kronor, exactly; the Summa row has none (it is computed).
    assert figures == {
        ("Intäkter", "budget", 2024): Decimal("1250500"),
        ("Intäkter", "prognos", 2023): Decimal("1100000"),
        ("Kostnader", "budget", 2024): Decimal("-900000"),
        ("Kostnader", "prognos", 2023): Decimal("-850000"),
        ("varav personal", "budget", 2024): Decimal("-600000"),
        ("varav personal", "prognos", 2023): Decimal("-550000"),
        ("varav lokaler", "budget", 2024): Decimal("-100000"),
        ("varav lokaler", "prognos", 2023): Decimal("-90000"),
    }
    assert all(isinstance(amount, Decimal) for amount in figures.values())

    control = ControlPlan.objects.get(unit=unit, year=2024)
    risks = Risk.objects.filter(control_plan=control).select_related("area").order_by("pk")
    assert [(risk.area.name, risk.text) for risk in risks] == [row[:2] for row in CONTROL_ROWS[1:]]
    measures = Measure.objects.filter(risk__control_plan=control).order_by("pk")
    assert [measure.text for measure in measures] == [row[2] for row in CONTROL_ROWS[1:]]

    by = {event.action: event for event in AuditEvent.objects.all()}
    for action in ("plan.create", "budget.load", "control.plan.import", "proposal.accept"):
        assert by[action].actor == accept_planner, action
    assert by["budget.load"].object_id == str(table.pk)
    assert by["proposal.accept"].after["budget_tables"] == [table.pk]
    assert by["proposal.accept"].after["control_plan"] is True


def test_an_existing_budget_table_refuses_the_accept_and_nothing_is_written(client, accept_planner):
    proposal = uploaded(accept_planner)
    unit = Unit.objects.get(slug="styrelsen")
    BudgetTable.objects.create(unit=unit, year=2024, kind="drift", number="", title="Driftbudget")
    with pytest.raises(ValidationError) as refused:
        accept(proposal, accept_planner)
    (error,) = refused.value.error_list
    assert error.code == "budget_table_exists"
    assert "Driftbudget" in error.message and "skrivs aldrig över" in error.message
    nothing_written(proposal, tables_before=1)
    # The page says so before the person accepts, and again after trying.
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "har redan tabellen" in page
    response = client.post(
        reverse("proposals:accept", args=[proposal.pk]),
        {"version": proposal.row_version},
        follow=True,
    )
    assert "Förslaget kunde inte antas" in response.content.decode()
    nothing_written(proposal, tables_before=1)


def test_an_existing_control_plan_refuses_the_accept_and_nothing_is_written(accept_planner):
    proposal = uploaded(accept_planner)
    unit = Unit.objects.get(slug="styrelsen")
    ControlPlan.objects.create(unit=unit, year=2024)
    with pytest.raises(ValidationError) as refused:
        accept(proposal, accept_planner)
    (error,) = refused.value.error_list
    assert error.code == "control_plan_exists"
    assert "redan en internkontrollplan för 2024" in error.message
    nothing_written(proposal)
    assert ControlPlan.objects.count() == 1


def test_a_summa_row_that_differs_refuses_every_part(accept_planner):
    """The document's Summa row is only checked: a difference refuses the accept (the
    person corrects the figures or drops the table), and neither the plan nor the control
    plan is written."""
    wrong = (*BUDGET_ROWS[:-1], ("Summa", "351", "250"))
    proposal = uploaded(accept_planner, plan_blocks(budget=wrong))
    with pytest.raises(ValidationError) as refused:
        accept(proposal, accept_planner)
    messages = [error.message for error in refused.value.error_list]
    assert len(messages) == 1 and "stämmer inte med raderna" in messages[0]
    assert "351" in messages[0] and "350,5" in messages[0]
    nothing_written(proposal)
    assert not ControlPlan.objects.exists()


def test_a_refused_plan_part_writes_no_tables(accept_planner):
    proposal = uploaded(accept_planner)
    # Break the plan part only: the goal's level is one the styrmodell does not have.
    data = proposal.data
    goal = data["nodes"][1]["children"][0]
    assert goal["kind"] == "goal"
    goal["fields"]["level"] = "okand-niva"
    PlanProposal.objects.filter(pk=proposal.pk).update(data=data)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError):
        accept(proposal, accept_planner)
    nothing_written(proposal)
    assert not ControlPlan.objects.exists()


def test_a_person_without_plan_rights_on_the_unit_cannot(accept_planner):
    proposal = uploaded(accept_planner)
    reader = user_with_role("tabeller-las", "lasare")
    with pytest.raises(PermissionDenied):
        accept(proposal, reader)
    nothing_written(proposal)
    # Nor through the budget and control apps' actions directly.
    budget, _left_out = budget_data(review_of(proposal).proposal)
    control = control_data(review_of(proposal).proposal)
    with pytest.raises(PermissionDenied):
        create_tables(budget, actor=reader, source="plan.docx")
    with pytest.raises(PermissionDenied):
        create_plans(control, actor=reader, file_name="plan.docx")
    nothing_written(proposal)
    assert not ControlPlan.objects.exists()


SIZES = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2, allow_nan=False)
# A row: its sign, what its varav rows do not cover, and its varav rows (the loader checks
# that varav rows do not sum to more than their row).
LINES = st.tuples(st.sampled_from([1, -1]), SIZES, st.lists(SIZES, max_size=2))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(LINES, min_size=1, max_size=4),
    unit=st.sampled_from(["kr", "tkr", "mnkr"]),
)
def test_every_figure_is_written_exactly_and_the_sums_are_computed(accept_planner, lines, unit):
    """Whatever the figures: each typed figure is stored exactly (in kronor, as a Decimal),
    the Summa row has none of its own, and the document's Summa equal to the rows' sum is
    accepted by the check."""
    factor = {"kr": 1, "tkr": 1000, "mnkr": 1000000}[unit]
    rows, total = [], Decimal(0)
    for index, (sign, rest, sizes) in enumerate(lines):
        parts = [sign * size for size in sizes]
        amount = sign * rest + sum(parts, Decimal(0))
        varav = [
            Node("budget_row", f"v-{index}-{i}", {"label": f"varav {index} {i}", "kind": "varav",
                                                  "figures": [str(part)]})
            for i, part in enumerate(parts)
        ]  # fmt: skip
        fields = {"label": f"Rad {index}", "kind": "rad", "figures": [str(amount)]}
        rows.append(Node("budget_row", f"r-{index}", fields, varav))
        total += amount
    summa = {"label": "Summa", "kind": "summa", "figures": [str(total)]}
    rows.append(Node("budget_row", "summa", summa))
    table = Node("budget_table", "t-1", {"number": "", "title": "Drift", "unit": unit,
                                         "columns": ["Budget 2024"]}, rows)  # fmt: skip
    proposal = Proposal("0099", "styrelsen", 2024, nodes=[table])
    data, left_out = budget_data(proposal)
    assert left_out == []
    with transaction.atomic():
        (made,) = create_tables(data, actor=accept_planner, source="plan.docx")
        stored = {
            figure.row.label: figure.amount
            for figure in Figure.objects.filter(row__table=made).select_related("row")
        }
        transaction.set_rollback(True)
    expected = {
        row.fields["label"]: Decimal(row.fields["figures"][0]) * factor for row in rows[:-1]
    }
    expected |= {
        child.fields["label"]: Decimal(child.fields["figures"][0]) * factor
        for row in rows
        for child in row.children
    }
    assert stored == expected


def _figures(table: BudgetTable) -> dict[tuple[str, str, int], Decimal]:
    """A table's own figures by row, kind and year (the transcription's prognos has a
    period, the document's column does not say it)."""
    return {
        (figure.row.label, figure.kind, figure.year): figure.amount
        for figure in Figure.objects.filter(row__table=table).select_related("row")
    }


def test_the_seed_accepted_gets_the_transcribed_budget_and_control_plan(db):
    """Regionstyrelsens plan (the seed, as a Word document) accepted for 2024: its budget
    tables 4.3, 4.4 and 5.1 hold exactly the figures of the demo's transcription (loaded for
    2023), and its internkontrollplan the six risks of the document."""
    demo = Path(__file__).resolve().parent.parent / "demo"
    load_data(load_yaml((demo / "region-orebro-lan.yaml").read_text("utf-8")), audit=False)
    load_budget_data(load_yaml((demo / "budget-2023.yaml").read_text("utf-8")), audit=False)
    unit = Unit.objects.get(organisation__code="0018", slug="regionstyrelsen")
    user = user_with_role("seed-tabeller", "planerare", unit)
    content = docx_from(seed_structure())
    proposal = actions.upload(unit, 2024, actor=user, name="seed.docx", content=content)
    assert budget_data(review_of(proposal).proposal)[1] == []
    plan = accept(proposal, user)
    written = {table.number: table for table in BudgetTable.objects.filter(year=2024)}
    transcribed = {table.number: table for table in BudgetTable.objects.filter(year=2023)}
    assert sorted(written) == sorted(transcribed) == ["4.3", "4.4", "5.1"]
    for number, table in written.items():
        assert (table.unit, table.plan, table.status) == (unit, plan, BudgetTable.Status.UTKAST)
        assert _figures(table) == _figures(transcribed[number]), number
    control = ControlPlan.objects.get(unit=unit, year=2024)
    assert Risk.objects.filter(control_plan=control).count() == len(SEED_CONTROL_ROWS) - 1
