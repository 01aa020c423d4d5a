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

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from uppsikt.audit.models import AuditEvent
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure
from uppsikt.control.models import ControlPlan, Measure, Risk
from uppsikt.organisations.models import Unit
from uppsikt.plans.models import Plan
from uppsikt.proposals import actions
from uppsikt.proposals.models import PlanProposal
from uppsikt.proposals.reading.blocks import Block, Kind, Source

from .builders import load_minimal, user_with_role
from .plan_documents import docx_from

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
    written = {"plan.create", "budget.table.create", "control.plan.import", "proposal.accept"}
    assert not AuditEvent.objects.filter(action__in=written).exists()


def test_accepting_writes_the_budget_table_and_the_control_plan_as_the_person(
    client, accept_planner
):
    proposal = uploaded(accept_planner)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Kvartal 1, Kvartal 2 är inte år med budget, prognos eller utfall" in page
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
    for action in ("plan.create", "budget.table.create", "control.plan.import", "proposal.accept"):
        assert by[action].actor == accept_planner, action
    assert by["budget.table.create"].object_id == str(table.pk)
    assert by["proposal.accept"].after["budget_tables"] == [table.pk]
    assert by["proposal.accept"].after["control_plan"] is True
