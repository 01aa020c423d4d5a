"""Small set-ups for the internal-control tests, built through the real actions.

``region()`` gives the minimal organisation (Region Test, 0099) with its styrelse and two
nämnder beside it, a decided plan for the styrelse, and an open delårsrapport and
verksamhetsberättelse for 2023.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from uppsikt.control.actions.plans import (
    assess_risk,
    create_measure,
    create_risk,
    ensure_control_plan,
)
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.models import ReportingPeriod

from .builders import load_minimal


def system():
    """An unsaved superuser: set-up that is not the subject of the test."""
    return get_user_model()(username="testuppsattning", is_superuser=True, is_active=True)


@dataclass
class Region:
    organisation: Organisation
    styrelsen: Unit
    namnd_a: Unit
    namnd_b: Unit
    forvaltning: Unit
    delar: ReportingPeriod
    helar: ReportingPeriod


def region(status: str = "beslutad") -> Region:
    load_minimal(status=status)
    organisation = Organisation.objects.get(code="0099")
    styrelsen = Unit.objects.get(slug="styrelsen")
    fullmaktige = styrelsen.parent
    namnd_a = Unit.objects.create(
        organisation=organisation, parent=fullmaktige, slug="namnd-a", name="Nämnd A", kind="namnd"
    )
    namnd_b = Unit.objects.create(
        organisation=organisation, parent=fullmaktige, slug="namnd-b", name="Nämnd B", kind="namnd"
    )
    forvaltning = Unit.objects.create(
        organisation=organisation,
        parent=namnd_a,
        slug="forvaltning-a",
        name="Förvaltning A",
        kind="forvaltning",
    )
    delar = ReportingPeriod.objects.create(
        organisation=organisation,
        year=2023,
        kind=ReportingPeriod.Kind.DELARSRAPPORT,
        name="Delårsrapport 2023",
        ends_on=datetime.date(2023, 7, 31),
    )
    helar = ReportingPeriod.objects.create(
        organisation=organisation,
        year=2023,
        kind=ReportingPeriod.Kind.VERKSAMHETSBERATTELSE,
        name="Verksamhetsberättelse 2023",
        ends_on=datetime.date(2023, 12, 31),
    )
    return Region(organisation, styrelsen, namnd_a, namnd_b, forvaltning, delar, helar)


def region_wide_risk(
    r: Region, *, measures: int = 1, text: str = "Risken att redovisningen inte är rättvisande."
):
    plan = ensure_control_plan(r.styrelsen, 2023, actor=system(), section_number="6.1")
    risk = create_risk(plan, actor=system(), area="Ekonomi", text=text, is_region_wide=True)
    for number in range(measures):
        create_measure(risk, actor=system(), text=f"Utbildning av ekonomer, del {number + 1}.")
    return risk


def own_risk(
    unit: Unit, *, area: str = "HR", text: str = "Risken att bisysslor förekommer.", score=None
):
    plan = ensure_control_plan(unit, 2023, actor=system())
    risk = create_risk(plan, actor=system(), area=area, text=text)
    create_measure(risk, actor=system(), text="Uppföljning enligt rutin.")
    if score:
        assess_risk(
            risk,
            actor=system(),
            likelihood=score[0],
            consequence=score[1],
            decision="ej_accepterad",
        )
    return risk


def region_with_risks() -> Region:
    """``region()`` with a region-wide risk and Nämnd A's own risk (the pages' tests)."""
    setup = region()
    setup.risk = region_wide_risk(setup)
    setup.own = own_risk(setup.namnd_a, text="Nämnd A:s egen risk.", score=(2, 3))
    return setup
