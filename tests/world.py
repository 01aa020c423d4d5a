"""A small governed world for security and API tests: two regions, every kind of object,
and one user per role inside and outside the region that owns the objects.

Region A (0099) has fullmäktige > styrelsen; everything the tests look at belongs to
styrelsen: a decided 2023 plan, a draft 2024 plan (unpublished), an assessment, budget
tables, a reporting period and a follow-up entry. Region B (0098) has one unit, ``annan``,
with a draft plan of its own. Users: ``<role>_inne`` holds the role on A's styrelsen,
``<role>_ute`` on B's unit; ``allmanhet`` has no role; ``rot`` is a superuser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from uppsikt.accounts.models import Role, RoleAssignment
from uppsikt.budget.models import BudgetRow, BudgetTable, Figure
from uppsikt.followup.models import FollowUp
from uppsikt.indicators.models import (
    Assessment,
    IndicatorDefinition,
    IndicatorTarget,
    Measurement,
)
from uppsikt.interchange.load import load_data
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Activity, Goal, Plan

from .builders import trail_untouched

ROLES = [role.value for role in Role]


def _plan(plan_id: str, org: str, unit: str, year: int, status: str, goals: int) -> dict:
    return {
        "id": plan_id,
        "organisation": org,
        "unit": unit,
        "year": year,
        "title": f"Plan {plan_id} {year}",
        "status": status,
        "blocks": [
            {"section": {"heading": "Inledning", "body": f"Planens inledning {year}."}},
            {
                "perspective": {
                    "name": "Invånare och samhälle",
                    "goals": [
                        {
                            "kind": "effektmal",
                            "number": str(number),
                            "text": f"Effektmål nummer {number} år {year}",
                            "indicators": [{"text": f"Indikator {number}a ska öka"}],
                        }
                        for number in range(1, goals + 1)
                    ],
                }
            },
            {
                "focus_area": {
                    "name": "Digitalisering",
                    "activities": [{"text": f"Aktivitet för digitalisering {year}"}],
                }
            },
        ],
    }


def world_data(*, second_full: bool = False) -> dict:
    """The world's data file; ``second_full`` gives Region Annan the same shape as Region Test
    (fullmäktige above ``annan``, a decided 2023 plan beside the 2024 draft)."""
    annan: dict = {"slug": "annan", "name": "Annan styrelse", "kind": "styrelse"}
    if second_full:
        annan = {
            "slug": "fullmaktige",
            "name": "Annans fullmäktige",
            "kind": "fullmaktige",
            "units": [annan],
        }
    plans = [
        _plan("beslutad", "0099", "styrelsen", 2023, "beslutad", 2),
        _plan("utkast", "0099", "styrelsen", 2024, "utkast", 2),
        _plan("annans", "0098", "annan", 2024, "utkast", 1),
    ]
    if second_full:
        plans.append(_plan("annans-beslutad", "0098", "annan", 2023, "beslutad", 1))
    return {
        "format": "uppsikt/1",
        "organisations": [
            {
                "code": "0099",
                "name": "Region Test",
                "kind": "region",
                "units": [
                    {
                        "slug": "fullmaktige",
                        "name": "Regionfullmäktige",
                        "kind": "fullmaktige",
                        "units": [
                            {"slug": "styrelsen", "name": "Regionstyrelsen", "kind": "styrelse"}
                        ],
                    }
                ],
            },
            {
                "code": "0098",
                "name": "Region Annan",
                "kind": "region",
                "units": [annan],
            },
        ],
        "plans": plans,
    }


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    unit: Unit  # A's styrelsen, which owns everything below
    other_unit: Unit
    decided: Plan
    draft: Plan
    other_draft: Plan
    goal: Goal  # in the decided plan
    draft_goal: Goal
    activity: Activity  # in the draft plan
    definition: IndicatorDefinition
    measurement: Measurement
    assessment: Assessment
    decided_table: BudgetTable
    draft_table: BudgetTable
    period: ReportingPeriod
    followup: FollowUp
    users: dict[str, Any] = field(default_factory=dict)
    control: Any = None  # ``add_internal_control``
    mirror: World | None = None  # ``build_world(second_full=True)``: seen from Region Annan

    def user(self, name: str):
        return self.users[name]


def build_world(*, password: str = "x-test-pass-1", second_full: bool = False) -> World:
    """The world. With ``second_full`` Region Annan is set up like Region Test (units, a
    decided and a draft plan, budget, a period, follow-up) and ``world.mirror`` is the same
    world seen from Region Annan: its objects are Annan's, ``<role>_inne`` are the users
    holding roles on ``annan`` and ``<role>_ute`` those of Region Test (tests/test_tenancy)."""
    with trail_untouched():  # a fixture: tests count their own events
        load_data(world_data(second_full=second_full), audit=False)
    org = Organisation.objects.get(code="0099")
    other_org = Organisation.objects.get(code="0098")
    unit = Unit.objects.get(organisation=org, slug="styrelsen")
    other_unit = Unit.objects.get(organisation=other_org, slug="annan")
    definition = IndicatorDefinition.objects.create(
        key="andel-nojda", name="Andel nöjda invånare", unit="procent"
    )
    world = _side(unit, other_unit, definition, Decimal("61.5"))
    User = get_user_model()
    for role in ROLES:
        for where, target in (("inne", unit), ("ute", other_unit)):
            user = User.objects.create_user(f"{role}_{where}", password=password)
            RoleAssignment.objects.create(user=user, unit=target, role=role)
            world.users[f"{role}_{where}"] = user
    world.users["allmanhet"] = User.objects.create_user("allmanhet", password=password)
    world.users["rot"] = User.objects.create_superuser("rot", password=password)
    world.followup.responsible = world.users["rapportor_inne"]
    world.followup.save()
    if second_full:
        # Its own definition: one that both organisations' indicators measure changes only
        # with ``plan`` on both (indicators.actions.require_definition_change).
        own = IndicatorDefinition.objects.create(
            key="andel-nojda-annan", name="Andel nöjda invånare i Annan", unit="procent"
        )
        mirror = _side(other_unit, unit, own, Decimal("48.0"))
        mirror.users = {**world.users}
        for role in ROLES:
            mirror.users[f"{role}_inne"] = world.users[f"{role}_ute"]
            mirror.users[f"{role}_ute"] = world.users[f"{role}_inne"]
        mirror.followup.responsible = mirror.users["rapportor_inne"]
        mirror.followup.save()
        world.mirror = mirror
    return world


def _side(unit: Unit, other_unit: Unit, definition, value: Decimal) -> World:
    """One organisation's objects: ``unit``'s 2023 plan decided, its 2024 draft, targets,
    measurements, an assessment, budget tables, a period and a follow-up entry."""
    org = unit.organisation
    decided = Plan.objects.get(unit=unit, year=2023)
    decided.decided_by = unit
    decided.decided_on = datetime.date(2022, 12, 13)
    decided.save()
    draft = Plan.objects.get(unit=unit, year=2024)
    goal = Goal.objects.get(plan=decided, number="1")
    draft_goal = Goal.objects.get(plan=draft, number="1")
    activity = Activity.objects.get(plan=draft)
    IndicatorTarget.objects.create(
        indicator=goal.indicators.get(),
        definition=definition,
        rule={"kind": "change", "direction": "increase"},
        rule_is_proposed=False,
    )
    IndicatorTarget.objects.create(
        indicator=draft_goal.indicators.get(),
        definition=definition,
        rule={"kind": "change", "direction": "increase"},
    )
    measurement = Measurement.objects.create(
        definition=definition, organisation=org, period="2022", value=value
    )
    Measurement.objects.create(
        definition=definition, organisation=org, period="2023", value=value + Decimal("1.75")
    )
    assessment = Assessment.objects.create(
        goal=goal,
        period="2023",
        proposed_status="uppfyllt",
        proposed_reason="Värdet ökade.",
        proposed_preliminary=False,
        indicator_results=[],
    )
    period = ReportingPeriod.objects.create(
        organisation=org,
        year=2024,
        kind="delarsrapport",
        name="Delårsrapport 2024",
        ends_on=datetime.date(2024, 8, 31),
    )
    followup = FollowUp.objects.create(
        period=period,
        unit=unit,
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=activity.pk,
        status="pagar",
        comment="<p>Arbetet pågår.</p>",
    )
    return World(
        org=org,
        other_org=other_unit.organisation,
        unit=unit,
        other_unit=other_unit,
        decided=decided,
        draft=draft,
        other_draft=Plan.objects.get(unit=other_unit, year=2024),
        goal=goal,
        draft_goal=draft_goal,
        activity=activity,
        definition=definition,
        measurement=measurement,
        assessment=assessment,
        decided_table=_table(unit, decided, 2023, "Driftbudget 2023"),
        draft_table=_table(unit, draft, 2024, "Driftbudget 2024"),
        period=period,
        followup=followup,
    )


def _table(unit: Unit, plan: Plan, year: int, title: str) -> BudgetTable:
    table = BudgetTable.objects.create(
        unit=unit, year=year, kind="drift", number="4.3", title=title, plan=plan
    )
    first = BudgetRow.objects.create(table=table, label="Intäkter", kind="rad", position=0)
    second = BudgetRow.objects.create(table=table, label="Kostnader", kind="rad", position=1)
    BudgetRow.objects.create(table=table, label="Summa", kind="summa", position=2)
    income = Decimal("1200000.50") if year == 2023 else Decimal("1300000.00")
    Figure.objects.create(row=first, kind="budget", year=year, amount=income)
    Figure.objects.create(row=second, kind="budget", year=year, amount=Decimal("-1000000.25"))
    return table


@dataclass
class ControlWorld:
    """Internal control in styrelsen's plans: the 2023 plan is published with the decided
    verksamhetsplan, the 2024 one is not (its verksamhetsplan is a draft)."""

    plan: Any
    risk: Any
    measure: Any
    draft_risk: Any
    draft_measure: Any
    period: ReportingPeriod  # delårsrapport 2023, open
    year_end: ReportingPeriod  # verksamhetsberättelse 2023, open
    followup: FollowUp  # styrelsen's follow-up of ``measure`` in ``period``
    deviation: Any


def add_internal_control(world: World) -> ControlWorld:
    """Add an internkontrollplan for 2023 and 2024 with a followed-up åtgärd to ``world``."""
    from uppsikt.control.actions.followup import add_deviation, follow_up_measure
    from uppsikt.control.actions.plans import (
        assess_risk,
        create_measure,
        create_risk,
        ensure_control_plan,
    )

    actor = world.user("rot")
    plan = ensure_control_plan(world.unit, 2023, actor=actor, section_number="6.1")
    risk = create_risk(
        plan, actor=actor, area="Ekonomi", text="Risken att attestreglerna inte följs."
    )
    measure = create_measure(risk, actor=actor, text="Stickprov på attester varje tertial.")
    assess_risk(risk, actor=actor, likelihood=2, consequence=3, decision="ej_accepterad")
    draft_plan = ensure_control_plan(world.unit, 2024, actor=actor)
    draft_risk = create_risk(draft_plan, actor=actor, area="HR", text="Risken i utkastet.")
    draft_measure = create_measure(draft_risk, actor=actor, text="Åtgärden i utkastet.")
    period = ReportingPeriod.objects.create(
        organisation=world.org,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
    )
    year_end = ReportingPeriod.objects.create(
        organisation=world.org,
        year=2023,
        kind="verksamhetsberattelse",
        name="Verksamhetsberättelse 2023",
        ends_on=datetime.date(2023, 12, 31),
    )
    followup = follow_up_measure(
        measure, period, actor=actor, unit=world.unit, status="pagar", comment="Första stickprovet."
    )
    followup.responsible = world.user("rapportor_inne")
    followup.save()
    deviation = add_deviation(
        measure, period, actor=actor, unit=world.unit, found="En attest saknades."
    )
    world.control = ControlWorld(
        plan, risk, measure, draft_risk, draft_measure, period, year_end, followup, deviation
    )
    return world.control
