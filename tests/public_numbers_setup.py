"""The world of ``tests/world.py`` made ready for the public site's number pages: Riket with
values, values per kön, a definition that only a draft uses, values of another organisation
for Region Test's definition, and a budget outcome of a period not yet reviewed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from uppsikt.budget.models import Figure
from uppsikt.indicators.models import IndicatorDefinition, IndicatorTarget, Measurement
from uppsikt.organisations.models import Organisation
from uppsikt.periods.models import ReportingPeriod
from uppsikt.plans.models import Goal

from .world import World, build_world

RIKET_VALUES = {"2022": Decimal("55.0"), "2023": Decimal("56.5")}
OTHER_VALUE = Decimal("12.3")  # Region Annan's value for Region Test's definition
OUTCOME = Decimal("-987654321.00")  # outcome per July 2023 of "Kostnader": public once reviewed


@dataclass
class NumbersWorld:
    world: World
    riket: Organisation
    draft_only: IndicatorDefinition  # used in the 2024 draft only

    @property
    def code(self) -> str:
        return self.world.org.code


def build_numbers_world() -> NumbersWorld:
    world = build_world(second_full=True)
    definition = world.definition
    definition.by_gender = True
    definition.save()
    riket = Organisation.objects.create(code="0000", name="Riket", kind="riket")
    for period, value in RIKET_VALUES.items():
        Measurement.objects.create(
            definition=definition, organisation=riket, period=period, value=value
        )
    for gender, value in (("K", "64.0"), ("M", "62.0")):
        Measurement.objects.create(
            definition=definition,
            organisation=world.org,
            period="2023",
            gender=gender,
            value=Decimal(value),
        )
    Measurement.objects.create(
        definition=definition, organisation=world.other_org, period="2023", value=OTHER_VALUE
    )
    draft_only = IndicatorDefinition.objects.create(
        key="utkastets-indikator", name="Utkastets hemliga indikator", unit="antal"
    )
    second = Goal.objects.get(plan=world.draft, number="2").indicators.get()
    IndicatorTarget.objects.create(
        indicator=second, definition=draft_only, rule={"kind": "change", "direction": "increase"}
    )
    Measurement.objects.create(
        definition=draft_only, organisation=world.org, period="2023", value=Decimal(7)
    )
    kostnader = world.decided_table.rows.get(label="Kostnader")
    Figure.objects.create(row=kostnader, kind="utfall", year=2023, period="2023-07", amount=OUTCOME)
    return NumbersWorld(world, riket, draft_only)


def review_july(world: World) -> ReportingPeriod:
    """Close Region Test's delårsrapport 2023 per 31 juli: its outcomes become public."""
    return ReportingPeriod.objects.create(
        organisation=world.org,
        year=2023,
        kind="delarsrapport",
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
        status=ReportingPeriod.Status.CLOSED,
    )
