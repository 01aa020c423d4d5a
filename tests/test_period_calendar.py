"""The follow-up calendar of the styrmodell: which periods a year has (manad, tertial, delår,
helår), their names and order, and how a tertialrapport is followed up."""

import dataclasses
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import load_minimal, user_with_role
from uppsikt.followup.scope import in_scope
from uppsikt.followup.todo import plan_work
from uppsikt.governance.actions import save_styrmodell, spec_of
from uppsikt.governance.models import Calendar
from uppsikt.governance.words import DEFAULT
from uppsikt.organisations.models import Organisation, Unit
from uppsikt.periods.actions import create_default_periods, create_period
from uppsikt.periods.defaults import MONTH_NAMES, default_periods, describe
from uppsikt.periods.models import ReportingPeriod

K = ReportingPeriod.Kind
YEAR_END = [K.VERKSAMHETSBERATTELSE, K.ARSREDOVISNING]


def kinds(year: int, calendar: str) -> list[tuple[str, datetime.date]]:
    return [(spec.kind, spec.ends_on) for spec in default_periods(year, calendar=calendar)]


def test_each_calendar_has_its_periods():
    end = datetime.date(2025, 12, 31)
    assert kinds(2025, "tertial") == [
        (K.TERTIALRAPPORT, datetime.date(2025, 4, 30)),
        (K.DELARSRAPPORT, datetime.date(2025, 8, 31)),
        (K.VERKSAMHETSBERATTELSE, end),
        (K.ARSREDOVISNING, end),
    ]
    assert kinds(2025, "delar") == [
        (K.DELARSRAPPORT, datetime.date(2025, 7, 31)),
        (K.VERKSAMHETSBERATTELSE, end),
        (K.ARSREDOVISNING, end),
    ]
    assert kinds(2025, "helar") == [(K.VERKSAMHETSBERATTELSE, end), (K.ARSREDOVISNING, end)]
    # månad without months given: today's year, unchanged.
    assert default_periods(2025, calendar="manad") == default_periods(2025)
    assert [s.name for s in default_periods(2025, calendar="tertial")] == [
        "Tertialrapport april 2025",
        "Delårsrapport 2025",
        "Verksamhetsberättelse 2025",
        "Årsredovisning 2025",
    ]


def test_the_default_calendar_is_described_as_the_page_said_before():
    assert describe(DEFAULT.calendar, DEFAULT.period_months) == (
        "Periodrapporter efter februari–maj och september–november, delårsrapport per 31 juli, "
        "verksamhetsberättelse och årsredovisning."
    )
    assert describe("manad", (1, 3, 4, 12)) == (
        "Periodrapporter efter januari, mars–april och december, delårsrapport per 31 juli, "
        "verksamhetsberättelse och årsredovisning."
    )
    assert "30 april" in describe("tertial") and "31 augusti" in describe("tertial")


@given(
    year=st.integers(2000, 2100),
    calendar=st.sampled_from(Calendar.values),
    months=st.none() | st.lists(st.integers(1, 12), max_size=12).map(tuple),
)
def test_any_calendar_gives_unique_periods_in_date_order_with_the_right_names(
    year, calendar, months
):
    specs = default_periods(year, months, calendar=calendar)
    keys = [(spec.kind, spec.ends_on) for spec in specs]
    assert len(set(keys)) == len(keys)
    assert [s.ends_on for s in specs] == sorted(s.ends_on for s in specs)
    assert all(spec.ends_on.year == year for spec in specs)
    assert [s.kind for s in specs][-2:] == YEAR_END
    for spec in specs:
        label = K(spec.kind).label
        if spec.kind in ReportingPeriod.PERIODIC_KINDS:
            assert spec.name == f"{label} {MONTH_NAMES[spec.ends_on.month - 1]} {year}"
        else:
            assert spec.name == f"{label} {year}"
    periodic = [s for s in specs if s.kind == K.PERIODRAPPORT]
    if calendar == Calendar.MANAD:
        wanted = DEFAULT.period_months if months is None else months
        assert {s.ends_on.month for s in periodic} == set(wanted)
    else:
        assert not periodic
    assert sum(s.kind == K.DELARSRAPPORT for s in specs) == (calendar != Calendar.HELAR)


def _with_calendar(organisation: Organisation, calendar: str, admin) -> None:
    spec = dataclasses.replace(spec_of(DEFAULT), calendar=calendar)
    save_styrmodell(organisation, spec, actor=admin)


@pytest.mark.django_db
def test_the_organisations_calendar_makes_its_periods_and_explicit_months_still_win():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    _with_calendar(organisation, "tertial", admin)
    created = create_default_periods(organisation, 2024, actor=admin)
    assert [p.slug for p in created] == [
        "2024-tertialrapport-04",
        "2024-delarsrapport",
        "2024-verksamhetsberattelse",
        "2024-arsredovisning",
    ]
    assert created[0].name == "Tertialrapport april 2024"
    assert create_default_periods(organisation, 2024, actor=admin) == []
    made = create_default_periods(organisation, 2025, actor=admin, months=(3,))
    assert made[0].kind == K.PERIODRAPPORT


@pytest.mark.django_db
def test_the_period_page_describes_the_organisations_calendar(client):
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    client.force_login(admin)
    page = client.get(f"/uppfoljning/{organisation.code}/")
    assert "februari–maj och september–november" in page.content.decode()
    _with_calendar(organisation, "helar", admin)
    page = client.get(f"/uppfoljning/{organisation.code}/")
    assert "Verksamhetsberättelse och årsredovisning." in page.content.decode()
    assert "februari–maj" not in page.content.decode()


@pytest.mark.django_db
def test_a_tertialrapport_is_followed_up_like_a_periodrapport():
    load_minimal()
    organisation = Organisation.objects.get(code="0099")
    admin = user_with_role("admin", "administrator")
    board = Unit.objects.get(slug="styrelsen")
    tertial = create_period(
        organisation, actor=admin, kind=K.TERTIALRAPPORT, ends_on=datetime.date(2023, 4, 30)
    )
    delar = create_period(
        organisation, actor=admin, kind=K.DELARSRAPPORT, ends_on=datetime.date(2023, 8, 31)
    )
    assert tertial.is_periodic and not delar.is_periodic
    assert tertial.assessment_period == "2023-04"
    # The plan's goals are followed up in the delårsrapport, not in the tertialrapport.
    assert in_scope(board, delar)
    assert not [item for item in in_scope(board, tertial) if item.extra.get("plan")]
    assert plan_work([tertial], {board.pk}) == set()
    assert plan_work([delar], {board.pk}) == {(delar.pk, board.pk)}
