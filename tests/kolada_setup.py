"""A small world for the Kolada sync tests: Region Test (0099, with units) and a planner
there, Riket, three other regions (one of them, 0098, with units of its own), a kommun, and
definitions linked to two KPIs on the loopback Kolada (``kolada_server.py``); the
``kolada_world`` fixture (conftest) builds it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from uppsikt.indicators.models import IndicatorDefinition
from uppsikt.organisations.models import Organisation, Unit

from .builders import load_minimal, user_with_role
from .kolada_server import KoladaServer

YEARS = (2021, 2022, 2023)
REGIONS = ("0099", "0001", "0003", "0098")


@dataclass
class KoladaWorld:
    server: KoladaServer
    org: Organisation
    planner: object
    trust: IndicatorDefinition  # N79179, by kön
    waits: IndicatorDefinition  # U00001, total only

    def expected_rows(self, codes) -> int:
        """Values the server holds for ``codes``: trust T/K/M, waits T, every year."""
        return len(codes) * len(YEARS) * 4


def fill_server(server: KoladaServer) -> None:
    server.add_kpi("N79179", "Förtroende för hälso- och sjukvården", divided_by_gender=True)
    server.add_kpi("U00001", "Väntetid i dagar")
    for code in (*REGIONS, "0000", "1880"):
        for year in YEARS:
            base = Decimal(year - 2000) + Decimal(int(code)) / 100
            server.set_value("N79179", code, year, base + Decimal("50.1"))
            server.set_value("N79179", code, year, base + Decimal("52.3"), gender="K")
            server.set_value("N79179", code, year, base + Decimal("48.7"), gender="M")
            server.set_value("U00001", code, year, Decimal(year - 1990))
            # Kolada has kön for U00001 too; the definition is not by kön: left out.
            server.set_value("U00001", code, year, Decimal(1), gender="K")


def build(server: KoladaServer) -> KoladaWorld:
    load_minimal()
    org = Organisation.objects.get(code="0099")
    Organisation.objects.create(code="0000", name="Riket", kind="riket")
    for code, name in (("0001", "Region Stockholm"), ("0003", "Region Uppsala")):
        Organisation.objects.create(code=code, name=name, kind="region", county_code=code[2:])
    other = Organisation.objects.create(code="0098", name="Region Annan", kind="region")
    Unit.objects.create(organisation=other, slug="annan", name="Annan styrelse", kind="styrelse")
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun", county_code="18")
    trust = IndicatorDefinition.objects.create(
        key="fortroende",
        name="Förtroende för vården",
        unit="procent",
        source_kind="kolada",
        source_code="N79179",
        by_gender=True,
    )
    waits = IndicatorDefinition.objects.create(
        key="vantetid", name="Väntetid", unit="dagar", source_kind="kolada", source_code="u00001"
    )
    IndicatorDefinition.objects.create(key="egen", name="Egen", unit="antal")  # not Kolada's
    planner = user_with_role("kolada-planerare", "planerare", "styrelsen")
    fill_server(server)
    return KoladaWorld(server, org, planner, trust, waits)
